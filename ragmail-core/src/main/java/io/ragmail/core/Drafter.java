package io.ragmail.core;

/**
 * Drafts a reply from a mail, the retrieved passages and the sender's facts. {@code Pipeline.builder()}
 * has no default drafter: pass one. ragmail ships {@code MistralDrafter} and the offline
 * {@code TemplateDrafter} (the daemon uses the first with an API key, the second without).
 *
 * <pre>{@code
 * Drafter echo = request -> new Draft("Thanks, we got your mail.", "en", 1.0, List.of(), false, "", TokenUsage.NONE);
 * }</pre>
 */
@FunctionalInterface
public interface Drafter {

    /**
     * @throws RetriableException    when the model is unavailable for now (429, 5xx, timeout)
     * @throws NonRetriableException when it never will be for this request (rejected API key)
     */
    Draft draft(DraftRequest request);
}
