package io.ragmail.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * The pipeline's fetch loop went once round: it is alive and can make progress. A loop that stops
 * sending these is stalled; health checks ({@code /health/live}) and watchdogs watch for that.
 */
public record LoopHeartbeatEvent(Instant at) {
    public LoopHeartbeatEvent {
        Objects.requireNonNull(at, "at");
    }
}
