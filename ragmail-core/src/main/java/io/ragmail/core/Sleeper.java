package io.ragmail.core;

import java.time.Duration;

/** Waits; injected wherever ragmail backs off, so tests need not wait for real. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
