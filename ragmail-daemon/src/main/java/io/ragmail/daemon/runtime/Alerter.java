package io.ragmail.daemon.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Critical alerts, deduplicated and throttled, with a "recovered" notice when the condition clears;
 * and warnings, collected for the daily summary.
 *
 * <p>An alert is identified by a condition id ({@code "imap-unreachable"}). {@link #raise} sends it
 * when the condition is new, and again at most once per {@code throttle} while it lasts;
 * {@link #clear} sends one recovery notice. Besides, at most {@link #MAX_PER_HOUR} messages leave per
 * hour whatever the conditions, so an alert storm cannot flood the operator; what was held back is
 * counted in the next message. Channels run on {@code executor}, never on the caller's thread.
 *
 * <pre>{@code
 * Alerter alerter = new Alerter(List.of(mailChannel), clock, Duration.ofMinutes(30), executor);
 * alerter.raise("odoo", "Odoo unreachable", "connection refused");
 * alerter.clear("odoo", "Odoo answers again");
 * }</pre>
 */
public final class Alerter {

    public static final int MAX_PER_HOUR = 20;
    static final int MAX_WARNINGS = 200;
    private static final Logger log = LoggerFactory.getLogger(Alerter.class);

    /** A condition that is raised and not cleared yet. */
    public record Active(String id, String title, String detail, Instant since, Instant lastSent, int suppressed) {
    }

    private final List<AlertChannel> channels;
    private final Clock clock;
    private final Duration throttle;
    private final Executor executor;
    private final Map<String, Active> active = new LinkedHashMap<>();
    private final Map<String, Integer> warnings = new LinkedHashMap<>();
    private final Map<String, Instant> recentEvents = new LinkedHashMap<>();
    private final List<Instant> sentLastHour = new ArrayList<>();
    private int heldBack;

    public Alerter(List<AlertChannel> channels, Clock clock, Duration throttle, Executor executor) {
        this.channels = List.copyOf(channels);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Raises (or keeps up) a critical condition; sends when new or when the throttle interval has passed. */
    public synchronized void raise(String id, String title, String detail) {
        Instant now = clock.instant();
        Active was = active.get(id);
        Instant event = recentEvents.get(id);
        if (was == null && event != null && Duration.between(event, now).compareTo(throttle) < 0) {
            log.error("ALERT {} (not sent again within {}): {} ({})", id, DurationText.of(throttle), title, detail);
            return;
        }
        if (was != null && Duration.between(was.lastSent(), now).compareTo(throttle) < 0) {
            active.put(id, new Active(id, title, detail, was.since(), was.lastSent(), was.suppressed() + 1));
            return;
        }
        log.error("ALERT {}: {} ({})", id, title, detail);
        Instant since = was != null ? was.since() : now;
        String body = detail + "\n\nCondition: " + id + "\nSince: " + since
                + (was != null && was.suppressed() > 0 ? "\nRepeated " + was.suppressed() + " times since the last message." : "")
                + "\n\nA recovery notice follows when it clears. Runbook: docs/operations.md and docs/alerts.md.";
        boolean sent = emit("[ragmail] CRITICAL: " + title, body, now);
        active.put(id, new Active(id, title, detail, since, sent ? now : was != null ? was.lastSent() : Instant.EPOCH, 0));
    }

    /**
     * A critical event rather than a condition (such as a start after an unclean stop): sent at once,
     * never kept active, so nothing is left to recover from. Repeats within the throttle interval are
     * held back like a condition's.
     */
    public synchronized void event(String id, String title, String detail) {
        raise(id, title, detail);
        Active sent = active.remove(id);
        if (sent != null) {
            // remember when it was sent, so that a crash loop cannot send it on every start within the process
            recentEvents.put(id, sent.lastSent());
        }
    }

    /** Clears a condition; sends a recovery notice when it was raised. */
    public synchronized void clear(String id, String detail) {
        Active was = active.remove(id);
        if (was == null) {
            return;
        }
        Instant now = clock.instant();
        log.info("RECOVERED {}: {} ({})", id, was.title(), detail);
        emit("[ragmail] RECOVERED: " + was.title(), detail + "\n\nCondition: " + id + "\nLasted: "
                + DurationText.of(Duration.between(was.since(), now)) + " (since " + was.since() + ")", now);
    }

    /** Records a warning for the daily summary; repeated warnings are counted, not repeated. */
    public synchronized void warn(String warning) {
        log.warn("{}", warning);
        if (warnings.size() < MAX_WARNINGS || warnings.containsKey(warning)) {
            warnings.merge(warning, 1, Integer::sum);
        }
    }

    /** The warnings since the last call, with how often each occurred; clears them. */
    public synchronized Map<String, Integer> takeWarnings() {
        Map<String, Integer> copy = new LinkedHashMap<>(warnings);
        warnings.clear();
        return copy;
    }

    public synchronized Map<String, Active> active() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(active));
    }

    /** Sends a message that is neither an alert nor a recovery (the daily summary); counts against the hourly cap. */
    public synchronized void notice(String subject, String body) {
        emit(subject, body, clock.instant());
    }

    private boolean emit(String subject, String body, Instant now) {
        sentLastHour.removeIf(t -> Duration.between(t, now).compareTo(Duration.ofHours(1)) >= 0);
        if (sentLastHour.size() >= MAX_PER_HOUR) {
            heldBack++;
            log.warn("alert not sent, {} already sent within the hour (storm protection): {}", MAX_PER_HOUR, subject);
            return false;
        }
        sentLastHour.add(now);
        String text = heldBack > 0 ? body + "\n\n(" + heldBack + " earlier messages were held back by storm protection; see the log.)" : body;
        heldBack = 0;
        for (AlertChannel channel : channels) {
            executor.execute(() -> {
                try {
                    channel.send(subject, text);
                } catch (RuntimeException e) {
                    log.error("sending an alert through {} failed: {}", channel.name(), e.toString());
                }
            });
        }
        return true;
    }
}
