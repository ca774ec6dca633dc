package io.ragmail.core.knowledge;

import io.ragmail.core.NonRetriableException;

import java.nio.file.Path;

/**
 * The index on disk cannot be read and no earlier commit point of it could be: the store refuses to
 * start empty in its place. Move the folder away and re-sync the sources, or let the store do it
 * ({@code LuceneKnowledgeStore.Builder#recreateIfUnrecoverable}).
 */
public class KnowledgeIndexCorruptedException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public KnowledgeIndexCorruptedException(Path directory, Throwable cause) {
        super("knowledge", "the knowledge index in " + directory + " is corrupt and no earlier commit of it is readable: "
                + cause, cause);
        this.directory = directory;
    }

    /** The index folder. */
    public Path directory() {
        return directory;
    }
}
