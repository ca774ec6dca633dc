package io.ragmail.core.imap;

import java.util.Objects;

/**
 * How {@link ImapMailSource} marks a mail as done on the server, so that it is not yielded again
 * after a restart.
 *
 * <pre>{@code
 * Acknowledgement.seen();                      // set \Seen
 * Acknowledgement.keyword("$RagmailDone");     // set a keyword; \Seen when the server cannot store keywords
 * Acknowledgement.moveTo("Processed");         // move the mail, creating the folder when missing
 * }</pre>
 */
public sealed interface Acknowledgement {

    /** The keyword {@link #keyword()} uses by default. */
    String DEFAULT_KEYWORD = "$RagmailDone";

    /** Sets the {@code \Seen} flag. */
    static Acknowledgement seen() {
        return new Seen();
    }

    /** Sets the keyword {@value #DEFAULT_KEYWORD}. */
    static Acknowledgement keyword() {
        return new Keyword(DEFAULT_KEYWORD);
    }

    /**
     * Sets a keyword (an IMAP user flag). Falls back to {@code \Seen}, with a warning, when the
     * folder's {@code PERMANENTFLAGS} lack {@code \*}.
     */
    static Acknowledgement keyword(String keyword) {
        return new Keyword(keyword);
    }

    /** Moves the mail to the folder, which is created when missing. */
    static Acknowledgement moveTo(String folder) {
        return new MoveTo(folder);
    }

    /** Sets {@code \Seen}. */
    record Seen() implements Acknowledgement {
    }

    /** Sets an IMAP keyword: an atom without spaces, parentheses, braces, quotes, {@code %}, {@code *} or {@code \}. */
    record Keyword(String keyword) implements Acknowledgement {
        public Keyword {
            Objects.requireNonNull(keyword, "keyword");
            if (keyword.isEmpty() || !keyword.matches("[\\x21-\\x7e&&[^(){%*\"\\\\\\]]]+")) {
                throw new IllegalArgumentException("keyword must be an IMAP atom, was '" + keyword + "'");
            }
        }
    }

    /** Moves the mail to {@code folder}. */
    record MoveTo(String folder) implements Acknowledgement {
        public MoveTo {
            Objects.requireNonNull(folder, "folder");
            if (folder.isBlank()) {
                throw new IllegalArgumentException("folder must not be blank");
            }
        }
    }
}
