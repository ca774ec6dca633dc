package io.ragmail.core.event;

import java.time.Instant;

/**
 * A dependency stopped answering, named in the {@link io.ragmail.core.Component} vocabulary
 * ({@code "imap"}, {@code "smtp"}, {@code "mistral"}, …): the name its exception gave, which is the
 * name {@code /health} and the metrics show. {@code critical} is set when waiting will not help
 * (rejected credentials).
 */
public record ComponentDownEvent(String component, String error, boolean critical, Instant at) {
}
