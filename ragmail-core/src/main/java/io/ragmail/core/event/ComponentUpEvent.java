package io.ragmail.core.event;

import java.time.Duration;
import java.time.Instant;

/** A dependency that was down answers again, after {@code downFor}; named as in its {@link ComponentDownEvent}. */
public record ComponentUpEvent(String component, Duration downFor, Instant at) {
}
