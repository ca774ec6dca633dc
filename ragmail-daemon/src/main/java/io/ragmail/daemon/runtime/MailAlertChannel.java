package io.ragmail.daemon.runtime;

import io.ragmail.core.MailAccount;
import io.ragmail.core.mail.MailErrors;
import io.ragmail.core.mail.MailSessions;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Date;

/**
 * Alerts by mail to {@code ragmail.alert.to}, over the configured SMTP server. Marked
 * {@code Auto-Submitted: auto-generated} (RFC 3834) so that no responder, ragmail included, answers
 * it; and the configuration refuses an alert address equal to the support mailbox.
 *
 * <pre>{@code
 * AlertChannel mail = new MailAlertChannel(config.smtpAccount(), "support@example.com", "ops@example.com");
 * }</pre>
 */
public final class MailAlertChannel implements AlertChannel {

    public static final String MARKER_HEADER = "X-Ragmail-Alert";

    private final MailAccount smtp;
    private final String from;
    private final String to;

    public MailAlertChannel(MailAccount smtp, String from, String to) {
        this.smtp = smtp;
        this.from = from;
        this.to = to;
    }

    @Override
    public void send(String subject, String body) {
        Session session = MailSessions.smtp(smtp, Duration.ofSeconds(10), Duration.ofSeconds(30));
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
            message.setSubject(subject, "UTF-8");
            message.setText(body, "UTF-8");
            message.setSentDate(new Date());
            message.setHeader("Auto-Submitted", "auto-generated");
            message.setHeader("Precedence", "bulk");
            message.setHeader(MARKER_HEADER, "yes");
            try (Transport transport = session.getTransport(MailSessions.smtpProtocol(smtp))) {
                transport.connect(smtp.host(), smtp.port(), smtp.authenticates() ? smtp.user() : null,
                        smtp.authenticates() ? smtp.password() : null);
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            throw MailErrors.map("alert-mail", smtp, "send an alert", e);
        }
    }

    @Override
    public String name() {
        return "mail to " + to;
    }
}
