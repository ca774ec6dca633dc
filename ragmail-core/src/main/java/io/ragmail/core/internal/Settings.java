package io.ragmail.core.internal;

/**
 * Validation shared by the builders, so that every missing or invalid setting fails the same way:
 * an {@link IllegalArgumentException} whose message starts with the setting's name.
 */
public final class Settings {

    private Settings() {
    }

    /** {@code value}, or an {@link IllegalArgumentException} "{@code name} must be set, was null". */
    public static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set, was null");
        }
        return value;
    }
}
