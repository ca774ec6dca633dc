package io.ragmail.core.mail;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class MailErrorsTest {

    private final MailAccount account = new MailAccount("smtp.example.com", 587, MailSecurity.STARTTLS,
            "support@example.com", "Secret-123");

    private static SendFailedException recipientRejected(int code) throws Exception {
        InternetAddress ada = new InternetAddress("ada@example.com");
        SMTPAddressFailedException failed = new SMTPAddressFailedException(ada, "RCPT TO:<ada@example.com>", code,
                code + " no such user");
        return new SendFailedException("Invalid Addresses", failed, new Address[0], new Address[0],
                new Address[] {ada});
    }

    @Test
    void permanent_recipient_rejection_is_non_retriable() throws Exception {
        var e = MailErrors.map("smtp", account, "sending", recipientRejected(550));
        assertThat(e).isInstanceOf(NonRetriableException.class).isNotInstanceOf(AuthenticationException.class);
        assertThat(e.getMessage()).contains("550");
    }

    @Test
    void temporary_recipient_rejection_is_retriable() throws Exception {
        assertThat(MailErrors.map("smtp", account, "sending", recipientRejected(451)))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void permanent_message_rejection_is_non_retriable() {
        var failed = new SMTPSendFailedException("DATA", 554, "554 spam", null, null, null, null);
        assertThat(MailErrors.map("smtp", account, "sending", failed)).isInstanceOf(NonRetriableException.class);
    }

    @Test
    void timeouts_are_retriable() {
        var e = new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        assertThat(MailErrors.map("smtp", account, "sending", e)).isInstanceOf(RetriableException.class);
    }

    @Test
    void rejected_login_is_an_authentication_exception_and_an_echoed_password_is_masked() {
        var e = MailErrors.map("smtp", account, "sending",
                new AuthenticationFailedException("535 bad credentials for Secret-123"));
        assertThat(e).isInstanceOf(AuthenticationException.class);
        assertThat(e.component()).isEqualTo("smtp");
        assertThat(e.getMessage()).doesNotContain("Secret-123").contains("****");
    }
}
