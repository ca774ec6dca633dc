package io.ragmail.config;

import io.ragmail.core.NonRetriableException;

/**
 * A component that {@link RagmailComponents} must reach while opening could not be reached, such as
 * Mistral's API for a {@code mistral-embed} knowledge index. The cause says why; neither holds a secret.
 * The daemon exits with its "dependency unreachable at start" code on it.
 */
public final class ComponentStartException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    public ComponentStartException(String component, String message, Throwable cause) {
        super(component, message, cause);
    }
}
