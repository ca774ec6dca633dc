package io.ragmail.core;

import java.util.Objects;

/**
 * How to reach and log in to one mail server (IMAP or SMTP). The password never appears in
 * {@link #toString()}.
 *
 * <pre>{@code
 * MailAccount imap = new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret);
 * }</pre>
 *
 * @param user     login name; empty for a server that needs none (SMTP relay on localhost)
 * @param password password or app token; empty when {@code user} is empty
 */
public record MailAccount(String host, int port, MailSecurity security, String user, String password) {

    public MailAccount {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535, was " + port);
        }
        Objects.requireNonNull(security, "security");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    public boolean authenticates() {
        return !user.isEmpty();
    }

    @Override
    public String toString() {
        return "MailAccount[" + (user.isEmpty() ? "" : user + "@") + host + ":" + port + ", " + security
                + (password.isEmpty() ? "" : ", password=****") + "]";
    }
}
