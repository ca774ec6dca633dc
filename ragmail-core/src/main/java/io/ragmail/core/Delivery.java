package io.ragmail.core;

/** What a {@link MailSink} can tell about a reply it may have delivered before a crash. */
public enum Delivery {
    /** The reply is there (found in the Sent or Drafts folder by its Message-ID). */
    DELIVERED,
    /** The sink looked and the reply is not there: it is safe to deliver it. */
    NOT_DELIVERED,
    /** The sink cannot tell; the pipeline delivers again (at-least-once for this sink). */
    UNKNOWN
}
