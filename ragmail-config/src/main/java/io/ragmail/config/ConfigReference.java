package io.ragmail.config;

import java.util.List;

/**
 * Renders the reference of every key from {@link ConfigKeys}: the table in
 * {@code docs/configuration.md} and the body of {@code ragmail.example.env}. Tests compare the
 * committed files with these renderings, so documentation cannot drift from the code.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    /** The Markdown table: key, environment variable, default, meaning. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| key | environment | default | meaning |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (ConfigKey<?> key : ConfigKeys.all()) {
            out.append("| `").append(key.name()).append("` | `").append(key.envName()).append("` | ")
                    .append(key.defaultText().isEmpty() ? "—" : key.defaultText().replace("|", "\\|")).append(" | ")
                    .append(key.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    /** Every key as a commented {@code .env} line with its meaning and default. */
    public static String exampleEnv() {
        StringBuilder out = new StringBuilder();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            out.append("# ").append(key.description()).append('\n');
            out.append("# default: ").append(key.defaultText().isEmpty() ? "none" : key.defaultText()).append('\n');
            boolean required = List.of(ConfigKeys.IMAP_HOST, ConfigKeys.IMAP_USER, ConfigKeys.IMAP_PASSWORD,
                    ConfigKeys.SMTP_HOST, ConfigKeys.FROM).contains(key);
            out.append(required ? "" : "# ").append(key.envName()).append('=').append(example(key)).append("\n\n");
        }
        return out.toString();
    }

    private static String example(ConfigKey<?> key) {
        if (key == ConfigKeys.IMAP_HOST) {
            return "imap.example.com";
        }
        if (key == ConfigKeys.IMAP_USER) {
            return "support@example.com";
        }
        if (key == ConfigKeys.IMAP_PASSWORD) {
            return "change-me";
        }
        if (key == ConfigKeys.SMTP_HOST) {
            return "smtp.example.com";
        }
        if (key == ConfigKeys.FROM) {
            return "support@example.com";
        }
        return key.defaultValue() != null ? key.defaultValue() : "";
    }
}
