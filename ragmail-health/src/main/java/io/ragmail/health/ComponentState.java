package io.ragmail.health;

import java.util.Locale;

/** Where one component (a dependency such as {@code imap}, or a resource such as {@code disk}) stands. *
 * <pre>{@code
 * boolean imapDown = snapshot.components().get("imap").state() == ComponentState.DOWN;
 * }</pre>
 */
public enum ComponentState {
    /** Answering as it should. */
    UP,
    /** Working, but close to a limit (disk space, memory). */
    DEGRADED,
    /** Not answering, or failing. */
    DOWN,
    /** Nothing heard yet: no probe has run and no event has named it. */
    UNKNOWN;

    /** The lower-case name used in JSON and on the dashboard: {@code "up"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
