package io.ragmail.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One component in a {@link HealthSnapshot}.
 *
 * <pre>{@code
 * ComponentHealth imap = monitor.snapshot().components().get("imap");
 * if (imap.state() == ComponentState.DOWN) alert("IMAP down since " + imap.since() + ": " + imap.lastError());
 * }</pre>
 *
 * @param name      such as {@code "imap"}
 * @param state     where it stands
 * @param since     when it came to this state; {@code null} while {@link ComponentState#UNKNOWN}
 * @param lastError the last error or warning seen for it, scrubbed of secrets; empty when none
 * @param checkedAt when a probe or event last said something about it; {@code null} when never
 * @param critical  whether its being down makes ragmail {@link HealthStatus#UNHEALTHY}
 */
public record ComponentHealth(String name, ComponentState state, Instant since, String lastError, Instant checkedAt,
        boolean critical) {
    public ComponentHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        lastError = lastError == null ? "" : lastError;
    }
}
