package io.ragmail.core.mistral.internal;

import io.ragmail.core.Sleeper;

import java.time.Clock;
import java.time.Duration;

/**
 * A tokens-per-minute budget: a token bucket holding at most one minute's worth, refilled evenly.
 * A call takes its estimated tokens before it starts ({@link #acquire}) and the difference to the
 * tokens Mistral reported afterwards ({@link #settle}). A call larger than the whole budget waits for
 * a full bucket and then goes, rather than waiting forever.
 */
public final class TokenBudget {

    private final long perMinute;
    private final Clock clock;
    private final Sleeper sleeper;
    private double available;
    private long lastMillis;

    /** @param perMinute tokens per minute; 0 means unlimited */
    public TokenBudget(long perMinute, Clock clock, Sleeper sleeper) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.sleeper = sleeper;
        this.available = perMinute;
        this.lastMillis = clock.millis();
    }

    /** Waits until {@code tokens} are available and takes them; returns how long it waited. */
    public Duration acquire(long tokens) throws InterruptedException {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        long need = Math.min(tokens, perMinute);
        Duration waited = Duration.ZERO;
        while (true) {
            long waitMillis;
            synchronized (this) {
                refill();
                if (available >= need) {
                    available -= tokens;
                    return waited;
                }
                waitMillis = (long) Math.ceil((need - available) * 60_000.0 / perMinute);
            }
            Duration wait = Duration.ofMillis(Math.max(1, waitMillis));
            sleeper.sleep(wait);
            waited = waited.plus(wait);
        }
    }

    /** Corrects the budget once the real count is known. */
    public synchronized void settle(long estimated, long actual) {
        if (perMinute <= 0) {
            return;
        }
        refill();
        available = Math.min(perMinute, available + estimated - actual);
    }

    public synchronized long available() {
        refill();
        return (long) available;
    }

    private void refill() {
        long now = clock.millis();
        long elapsed = now - lastMillis;
        if (elapsed > 0) {
            available = Math.min(perMinute, available + elapsed * perMinute / 60_000.0);
            lastMillis = now;
        }
    }
}
