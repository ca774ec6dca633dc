package io.ragmail.core.knowledge.internal;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the newest readable commit point of a Lucene index. A process killed during a commit leaves
 * the previous commit intact (Lucene writes {@code pending_segments_N} and renames it last), but a
 * torn or damaged newest commit must not turn into an empty index: this tries each commit point,
 * newest first, and removes the {@code segments_N} files of the unreadable newer ones so that
 * Lucene opens the good one.
 */
public final class IndexRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRecovery.class);

    /** What was found. */
    public record Result(boolean indexExists, boolean rolledBack) {
    }

    private IndexRecovery() {
    }

    /**
     * Makes the newest readable commit the latest one.
     *
     * @param verifyChecksums also verify every file's checksum (reads the whole index)
     * @throws IOException the first error, when no commit is readable
     */
    public static Result recover(Directory directory, boolean verifyChecksums) throws IOException {
        List<String> commits = new ArrayList<>();
        for (String file : directory.listAll()) {
            if (file.startsWith(IndexFileNames.SEGMENTS + "_")) {
                commits.add(file);
            }
        }
        if (commits.isEmpty()) {
            return new Result(false, false);
        }
        commits.sort(Comparator.comparingLong(SegmentInfos::generationFromSegmentsFileName).reversed());
        IOException first = null;
        for (int i = 0; i < commits.size(); i++) {
            String name = commits.get(i);
            try {
                SegmentInfos infos = SegmentInfos.readCommit(directory, name);
                try (DirectoryReader reader = DirectoryReader.open(new Commit(directory, infos))) {
                    reader.numDocs();
                    if (verifyChecksums) {
                        for (LeafReaderContext leaf : reader.leaves()) {
                            leaf.reader().checkIntegrity();
                        }
                    }
                }
                List<String> removed = List.copyOf(commits.subList(0, i));
                for (String bad : removed) {
                    directory.deleteFile(bad);
                }
                if (!removed.isEmpty()) {
                    directory.syncMetaData();
                    LOG.warn("knowledge index: newest commit(s) {} unreadable ({}); recovered to commit {}",
                            removed, first, name);
                }
                return new Result(true, !removed.isEmpty());
            } catch (IOException | RuntimeException e) {
                LOG.warn("knowledge index: commit {} is unreadable: {}", name, e.toString());
                if (first == null) {
                    first = e instanceof IOException io ? io : new IOException(e);
                }
            }
        }
        throw first;
    }

    /** A commit point over an already read {@link SegmentInfos}, to open a reader on exactly it. */
    private static final class Commit extends IndexCommit {
        private final Directory directory;
        private final SegmentInfos infos;

        Commit(Directory directory, SegmentInfos infos) {
            this.directory = directory;
            this.infos = infos;
        }

        @Override
        public String getSegmentsFileName() {
            return infos.getSegmentsFileName();
        }

        @Override
        public Collection<String> getFileNames() throws IOException {
            return infos.files(true);
        }

        @Override
        public Directory getDirectory() {
            return directory;
        }

        @Override
        public void delete() {
            throw new UnsupportedOperationException("read-only commit");
        }

        @Override
        public boolean isDeleted() {
            return false;
        }

        @Override
        public int getSegmentCount() {
            return infos.size();
        }

        @Override
        public long getGeneration() {
            return infos.getGeneration();
        }

        @Override
        public Map<String, String> getUserData() {
            return infos.getUserData();
        }
    }
}
