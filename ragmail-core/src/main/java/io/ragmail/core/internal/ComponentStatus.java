package io.ragmail.core.internal;

import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Remembers which components are down so that each outage yields one down and one up event. */
public final class ComponentStatus {

    private final ConcurrentMap<String, Instant> downSince = new ConcurrentHashMap<>();
    private final SafeListeners listeners;
    private final Clock clock;

    public ComponentStatus(SafeListeners listeners, Clock clock) {
        this.listeners = listeners;
        this.clock = clock;
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
        }
    }
}
