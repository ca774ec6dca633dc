package io.ragmail.core.internal;

import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Remembers which components are down so that each outage yields one down and one up event, and tells
 * the pipeline when one recovers so that mail waiting for it is resumed at once.
 */
public final class ComponentStatus {

    private final ConcurrentMap<String, Instant> downSince = new ConcurrentHashMap<>();
    private final SafeListeners listeners;
    private final Clock clock;
    private final Consumer<String> onRecovered;

    public ComponentStatus(SafeListeners listeners, Clock clock) {
        this(listeners, clock, component -> { });
    }

    /** @param onRecovered called after a component's up event; must not throw */
    public ComponentStatus(SafeListeners listeners, Clock clock, Consumer<String> onRecovered) {
        this.listeners = listeners;
        this.clock = clock;
        this.onRecovered = onRecovered;
    }

    /** The components down right now. */
    public Set<String> down() {
        return Set.copyOf(downSince.keySet());
    }

    public void down(String component, String error, boolean critical) {
        Instant now = clock.instant();
        if (downSince.putIfAbsent(component, now) == null) {
            ComponentDownEvent event = new ComponentDownEvent(component, error, critical, now);
            listeners.emit(l -> l.onComponentDown(event));
        }
    }

    public void up(String component) {
        if (downSince.isEmpty()) {
            return;
        }
        Instant since = downSince.remove(component);
        if (since != null) {
            Instant now = clock.instant();
            ComponentUpEvent event = new ComponentUpEvent(component, Duration.between(since, now), now);
            listeners.emit(l -> l.onComponentUp(event));
            onRecovered.accept(component);
        }
    }
}
