package io.ragmail.core.mail;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.MailAccount;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns Jakarta Mail exceptions into ragmail's {@link RetriableException} / {@link
 * NonRetriableException} / {@link AuthenticationException} (internal: shared by the IMAP and SMTP
 * adapters). Rejected credentials are an {@code AuthenticationException}; a permanent (5xx) SMTP
 * rejection is non-retriable; a 4xx reply, a refused or dropped connection, a timeout and anything
 * unclassified are retriable, so that no mail is lost on an unknown fault.
 *
 * <p>Messages name the server and user but never the password: a password that a server echoes is
 * masked.
 */
public final class MailErrors {

    private MailErrors() {
    }

    /** The ragmail exception for {@code e}, raised while {@code action} (e.g. {@code "sending reply <id>"}). */
    public static RagmailException map(String component, MailAccount account, String action, MessagingException e) {
        String where = account.host() + ":" + account.port()
                + (account.authenticates() ? " as " + account.user() : "");
        String detail = mask(String.valueOf(e.getMessage()), account);
        String message = component + " " + action + " at " + where + " failed: " + detail;
        if (e instanceof AuthenticationFailedException) {
            return new AuthenticationException(component, component + " login at " + where + " was rejected: " + detail, e);
        }
        if (e instanceof AddressException || e instanceof FolderNotFoundException) {
            return new NonRetriableException(component, message, e);
        }
        OptionalInt code = smtpReturnCode(e);
        if (code.isPresent()) {
            int c = code.getAsInt();
            if (c == 535 || c == 534 || c == 530) {
                return new AuthenticationException(component, message, e);
            }
            if (c >= 500 && c < 600) {
                return new NonRetriableException(component, message + " (SMTP " + c + ")", e);
            }
            return new RetriableException(component, message + " (SMTP " + c + ")", e);
        }
        return new RetriableException(component, message, e);
    }

    /**
     * The SMTP reply code of the first failure in {@code e}'s chain ({@code getNextException()}
     * and causes), if any.
     */
    public static OptionalInt smtpReturnCode(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        Throwable t = e;
        while (t != null && seen.add(t)) {
            if (t instanceof SMTPAddressFailedException failed) {
                return OptionalInt.of(failed.getReturnCode());
            }
            if (t instanceof SMTPSendFailedException failed && failed.getReturnCode() > 0) {
                return OptionalInt.of(failed.getReturnCode());
            }
            Throwable next = null;
            if (t instanceof MessagingException me) {
                next = me.getNextException();
            }
            if (t instanceof SendFailedException sfe && next == null && sfe.getInvalidAddresses() != null
                    && sfe.getInvalidAddresses().length > 0) {
                // no code available, but a recipient was refused: treat as permanent
                return OptionalInt.of(550);
            }
            t = next != null ? next : t.getCause();
        }
        return OptionalInt.empty();
    }

    /** {@code text} with the account's password, should a server echo it, replaced by {@code ****}. */
    public static String mask(String text, MailAccount account) {
        if (text == null || account.password().isEmpty()) {
            return text;
        }
        return text.replace(account.password(), "****");
    }
}
