package io.ragmail.config;

import io.ragmail.core.NonRetriableException;

import java.util.List;

/** The configuration is wrong: every problem, one line each, naming the key. Never holds a secret. */
public final class ConfigException extends NonRetriableException {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("config", String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, such as {@code ragmail.imap.port: expected a port number 1-65535, was 'abc'}. */
    public List<String> problems() {
        return problems;
    }
}
