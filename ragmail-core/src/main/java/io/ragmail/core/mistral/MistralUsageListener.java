package io.ragmail.core.mistral;

/**
 * Told the tokens and cost of each draft {@link MistralDrafter} completes. Must be fast; an exception
 * it throws is logged and ignored.
 *
 * <pre>{@code
 * MistralUsageListener log = usage -> metrics.record(usage.cost());
 * }</pre>
 */
@FunctionalInterface
public interface MistralUsageListener {

    MistralUsageListener NONE = usage -> { };

    void onUsage(MistralUsage usage);
}
