package io.ragmail.core.event;

import java.time.Instant;
import java.util.Optional;

/**
 * The pipeline stopped fetching mail. {@code failure} is empty after {@code close()}; otherwise the
 * fetch loop died of it (an {@link Error} that even the loop's own recovery could not survive) and a
 * supervisor should restart the pipeline.
 */
public record PipelineStoppedEvent(Optional<Throwable> failure, Instant at) {

    public PipelineStoppedEvent {
        failure = failure == null ? Optional.empty() : failure;
    }
}
