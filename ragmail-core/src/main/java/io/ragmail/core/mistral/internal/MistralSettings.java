package io.ragmail.core.mistral.internal;

import io.ragmail.core.Component;
import io.ragmail.core.NonRetriableException;

import java.net.URI;
import java.time.Duration;

/**
 * The checks every Mistral client's builder makes the same way ({@code MistralDrafter},
 * {@code MistralQueryRewriter}): the optional client on the class path, then the connection settings,
 * each failing with an {@link IllegalArgumentException} that starts with the setting's name.
 */
public final class MistralSettings {

    /** The Maven coordinates a user adds for the optional Mistral client. */
    public static final String CLIENT_ARTIFACT = "dev.langchain4j:langchain4j-mistral-ai";
    private static final String CLIENT_CLASS = "dev.langchain4j.model.mistralai.MistralAiChatModel";

    private MistralSettings() {
    }

    /** A {@link NonRetriableException} naming {@link #CLIENT_ARTIFACT} when the optional client is missing. */
    public static void requireClient() {
        try {
            Class.forName(CLIENT_CLASS, false, MistralSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new NonRetriableException(Component.MISTRAL, "the Mistral client is not on the class path: add "
                    + CLIENT_ARTIFACT, e);
        }
    }

    /** The API key, an http(s) base URL, a model name and a positive timeout; the key is never shown. */
    public static void requireConnection(String apiKey, String baseUrl, String defaultBaseUrl, String modelName,
            String defaultModel, Duration timeout) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must be set (the Mistral API key)");
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl must be set, such as " + defaultBaseUrl);
        }
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + baseUrl, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + baseUrl);
        }
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must be set, such as " + defaultModel);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
