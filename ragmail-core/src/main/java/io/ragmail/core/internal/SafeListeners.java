package io.ragmail.core.internal;

import io.ragmail.core.event.PipelineListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** Calls every listener in turn; an exception in one is logged and reaches neither the others nor the caller. */
public final class SafeListeners {

    private static final Logger log = LoggerFactory.getLogger(SafeListeners.class);

    private final List<PipelineListener> listeners;

    public SafeListeners(List<PipelineListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public void emit(Consumer<PipelineListener> call) {
        for (PipelineListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // A listener's bug (also a missing class in a metrics library) never reaches the pipeline.
                log.warn("listener {} failed; ignored", listener.getClass().getName(), e);
            }
        }
    }
}
