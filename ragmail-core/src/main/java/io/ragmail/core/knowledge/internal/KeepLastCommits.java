package io.ragmail.core.knowledge.internal;

import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

import java.util.List;

/** Keeps the newest {@code n} commit points, so a damaged newest commit can fall back to the one before. */
public final class KeepLastCommits extends IndexDeletionPolicy {

    private final int keep;

    public KeepLastCommits(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.keep = keep;
    }

    @Override
    public void onInit(List<? extends IndexCommit> commits) {
        onCommit(commits);
    }

    @Override
    public void onCommit(List<? extends IndexCommit> commits) {
        for (int i = 0; i < commits.size() - keep; i++) {
            commits.get(i).delete();
        }
    }
}
