package io.ragmail.core.smtp;

import java.util.function.Consumer;

/** Opens {@link SmtpMailSink}'s package-private test seams to tests in other packages. */
public final class SmtpSinkSeams {

    private SmtpSinkSeams() {
    }

    /** {@code hook} runs right after the SMTP server accepted a reply, before the sink files its Sent copy. */
    public static SmtpMailSink.Builder afterAccepted(SmtpMailSink.Builder builder, Consumer<String> hook) {
        return builder.afterAccepted(hook);
    }
}
