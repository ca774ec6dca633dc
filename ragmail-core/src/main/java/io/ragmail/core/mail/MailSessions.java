package io.ragmail.core.mail;

import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import jakarta.mail.Session;

import java.time.Duration;
import java.util.Properties;

/**
 * Jakarta Mail sessions for a {@link MailAccount}, with timeouts always set: without them a dead
 * server blocks a thread forever. Shared by the IMAP source and the IMAP and SMTP sinks.
 */
public final class MailSessions {

    private MailSessions() {
    }

    /** A session whose {@code "imap"} or {@code "imaps"} store reaches the account. */
    public static Session imap(MailAccount account, Duration connectTimeout, Duration readTimeout) {
        String protocol = imapProtocol(account);
        Properties props = new Properties();
        props.put("mail.store.protocol", protocol);
        common(props, protocol, account, connectTimeout, readTimeout);
        // Fetch bodies in larger pieces; partial fetch stays on so huge parts are never loaded whole.
        props.put("mail." + protocol + ".fetchsize", "65536");
        return Session.getInstance(props);
    }

    /** The store protocol name for the account: {@code "imaps"} with SSL, else {@code "imap"}. */
    public static String imapProtocol(MailAccount account) {
        return account.security() == MailSecurity.SSL ? "imaps" : "imap";
    }

    /** A session whose {@code "smtp"} or {@code "smtps"} transport reaches the account. */
    public static Session smtp(MailAccount account, Duration connectTimeout, Duration readTimeout) {
        String protocol = smtpProtocol(account);
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        common(props, protocol, account, connectTimeout, readTimeout);
        props.put("mail." + protocol + ".auth", Boolean.toString(account.authenticates()));
        props.put("mail." + protocol + ".writetimeout", Long.toString(readTimeout.toMillis()));
        return Session.getInstance(props);
    }

    /** The transport protocol name for the account: {@code "smtps"} with SSL, else {@code "smtp"}. */
    public static String smtpProtocol(MailAccount account) {
        return account.security() == MailSecurity.SSL ? "smtps" : "smtp";
    }

    private static void common(Properties props, String protocol, MailAccount account, Duration connectTimeout,
            Duration readTimeout) {
        String p = "mail." + protocol + ".";
        props.put(p + "host", account.host());
        props.put(p + "port", Integer.toString(account.port()));
        props.put(p + "connectiontimeout", Long.toString(connectTimeout.toMillis()));
        props.put(p + "timeout", Long.toString(readTimeout.toMillis()));
        if (account.security() == MailSecurity.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (account.security() != MailSecurity.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
    }
}
