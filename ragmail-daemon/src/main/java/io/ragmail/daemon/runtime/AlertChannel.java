package io.ragmail.daemon.runtime;

/** Where an alert goes: the operator's mailbox, a chat webhook. Implementations may block; the {@link Alerter} calls them off the pipeline's threads. */
public interface AlertChannel {

    /** @throws RuntimeException when the alert could not be delivered; the alerter logs it and goes on */
    void send(String subject, String body);

    String name();
}
