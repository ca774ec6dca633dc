package io.ragmail.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Wraps an encoder and replaces every configured secret in its output with {@code ****}: defence in
 * depth behind the rule that no code logs a secret, for the day a library puts one into an exception
 * message. Secrets shorter than 4 characters are not masked (they would mask ordinary words).
 *
 * <pre>{@code
 * appender.setEncoder(new MaskingEncoder(patternEncoder, List.of(imapPassword, apiKey)));
 * }</pre>
 */
public final class MaskingEncoder extends EncoderBase<ILoggingEvent> {

    private final Encoder<ILoggingEvent> delegate;
    private final List<String> secrets;

    public MaskingEncoder(Encoder<ILoggingEvent> delegate, List<String> secrets) {
        this.delegate = delegate;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).distinct().toList();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] bytes = delegate.encode(event);
        if (secrets.isEmpty() || bytes == null) {
            return bytes;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked == text ? bytes : masked.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void start() {
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }
}
