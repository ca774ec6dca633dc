package io.ragmail.it;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulates the death of a process at one instant: once tripped, every call through a wrapper that
 * shares this switch fails with {@link SimulatedCrash}, so nothing after that instant takes effect —
 * no ledger write, no delivery, no acknowledgement.
 */
final class CrashSwitch {

    /** Thrown where the process would have died; an Error, so no recovery code catches it. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash " + where, null, false, false);
        }
    }

    private final AtomicBoolean tripped = new AtomicBoolean();
    private final AtomicInteger countdown;

    /** Trips on the {@code nth} call of {@link #afterStep}. */
    CrashSwitch(int nth) {
        this.countdown = new AtomicInteger(nth);
    }

    void checkAlive(String where) {
        if (tripped.get()) {
            throw new SimulatedCrash(where);
        }
    }

    /** Called right after the step at which the crash is injected has taken effect. */
    void afterStep(String where) {
        if (countdown.decrementAndGet() == 0) {
            tripped.set(true);
            throw new SimulatedCrash(where);
        }
    }

    boolean tripped() {
        return tripped.get();
    }
}
