package io.ragmail.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: its name ({@code ragmail.imap.host}), default, how its value is parsed,
 * whether it is a secret (never printed) and what it means. The registry is {@link ConfigKeys}.
 *
 * @param name         the property name
 * @param defaultValue the raw default, or {@code null} when there is none (or it is derived from another key)
 * @param defaultText  the default as the documentation states it
 * @param type         how the value is parsed and validated
 * @param secret       whether the value is masked everywhere
 * @param description  one line for {@code docs/configuration.md} and {@code ragmail.example.env}
 * @param <T>          the parsed type
 */
public record ConfigKey<T>(String name, String defaultValue, String defaultText, ValueType<T> type, boolean secret,
                           String description) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!name.matches("ragmail(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("name must look like ragmail.section.key, was " + name);
        }
        defaultText = defaultText != null ? defaultText : defaultValue != null ? defaultValue : "";
    }

    /** The environment variable: {@code ragmail.mistral.api-key} is {@code RAGMAIL_MISTRAL_API_KEY}. */
    public String envName() {
        return envName(name);
    }

    /** The environment variable of any property name. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value for display: secrets show only whether they are set. */
    public String display(String raw) {
        if (raw == null || raw.isBlank()) {
            return secret ? "(unset)" : "(default: " + (defaultText.isEmpty() ? "none" : defaultText) + ")";
        }
        return secret ? "(set)" : raw;
    }
}
