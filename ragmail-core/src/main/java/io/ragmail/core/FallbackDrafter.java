package io.ragmail.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * A {@link Drafter} that falls back to a second drafter while the first is unavailable: the
 * "holding reply" option for when Mistral is down. Only a {@link RetriableException} of the primary
 * (rate limit, 5xx, timeout, open circuit breaker) switches to the fallback; an
 * {@link AuthenticationException} or any other {@link NonRetriableException} is passed on, so a
 * rejected API key still raises its alarm instead of being papered over.
 *
 * <p>The fallback's draft goes through the pipeline's review policy like any other, and the pipeline
 * stores and delivers exactly one reply per mail, so the customer never gets both a holding reply
 * and a model's answer. With a {@link io.ragmail.core.template.TemplateDrafter} as fallback, the
 * holding reply is filed for review unless the template is configured to auto-send; then the
 * customer gets it at once and no model answer follows. Without a fallback (the default pipeline),
 * the mail waits in RETRY until the model is back: the trade-off is a fast but generic answer
 * against a late but specific one. See {@code docs/drafting-policy.md}.
 *
 * <pre>{@code
 * Drafter drafter = FallbackDrafter.of(mistralDrafter,
 *         TemplateDrafter.builder().autoSend(true).signature("ACME support").build());
 * }</pre>
 */
public final class FallbackDrafter implements Drafter {

    /** The first review reason of a fallback draft that needs a human. */
    public static final String HOLDING_REASON = "holding reply: the primary drafter was unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(FallbackDrafter.class);

    private final Drafter primary;
    private final Drafter fallback;

    private FallbackDrafter(Drafter primary, Drafter fallback) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        if (primary == fallback) {
            throw new IllegalArgumentException("fallback must be another drafter than primary");
        }
    }

    /** Drafts with {@code primary}; while it fails with a {@link RetriableException}, with {@code fallback}. */
    public static FallbackDrafter of(Drafter primary, Drafter fallback) {
        return new FallbackDrafter(primary, fallback);
    }

    /**
     * @throws NonRetriableException when the primary fails for good (the fallback is not asked)
     * @throws RetriableException    when the fallback fails too (the mail waits in RETRY)
     */
    @Override
    public Draft draft(DraftRequest request) {
        try {
            return primary.draft(request);
        } catch (RetriableException unavailable) {
            LOG.warn("{}: the primary drafter is unavailable ({}); drafting a holding reply with the fallback",
                    request.mail().key(), unavailable.getMessage());
            Draft held = fallback.draft(request);
            if (!held.needsHuman()) {
                return held;
            }
            // tell the reviewer why this is a holding reply, before the fallback's own reason
            String why = HOLDING_REASON + " (" + unavailable.getMessage() + ")"
                    + (held.humanReason().isBlank() ? "" : "; " + held.humanReason());
            return new Draft(held.text(), held.language(), held.confidence(), held.usedSourceIds(), true, why, held.usage());
        }
    }
}
