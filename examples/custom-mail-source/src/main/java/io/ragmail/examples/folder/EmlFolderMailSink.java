package io.ragmail.examples.folder;

import io.ragmail.core.Delivery;
import io.ragmail.core.MailSink;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RetriableException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A {@link MailSink} that writes each reply as an {@code .eml} file into a folder, for a mail gateway
 * that picks files up (or a person who reviews them). The file name is derived from the reply's
 * Message-ID, so {@link #findDelivered} can tell after a crash whether the reply was already written:
 * with this sink every reply is delivered exactly once.
 */
public final class EmlFolderMailSink implements MailSink {

    private final Path folder;
    private final Session session = Session.getInstance(new Properties());

    /** Writes into {@code folder}, created when missing. */
    public EmlFolderMailSink(Path folder) {
        Objects.requireNonNull(folder, "folder");
        try {
            this.folder = Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }

    @Override
    public void deliver(OutboundReply reply) {
        Path target = fileOf(reply.messageId());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            toMessage(reply).writeTo(out);
        } catch (MessagingException e) {
            throw new NonRetriableException(name(), "cannot build reply " + reply.messageId() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RetriableException(name(), "cannot write " + partial + ": " + e.getMessage(), e);
        }
        try {
            // The rename is the moment of delivery: a crash before it leaves no reply behind.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RetriableException(name(), "cannot move " + partial + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Delivery findDelivered(String messageId) {
        return Files.exists(fileOf(messageId)) ? Delivery.DELIVERED : Delivery.NOT_DELIVERED;
    }

    @Override
    public String name() {
        return "eml-folder-sink";
    }

    private MimeMessage toMessage(OutboundReply reply) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", reply.messageId()); // ours, so that findDelivered can find it
            }
        };
        message.setFrom(new InternetAddress(reply.from().address()));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(reply.to().address()));
        message.setSubject(reply.subject(), StandardCharsets.UTF_8.name());
        if (!reply.inReplyTo().isEmpty()) {
            message.setHeader("In-Reply-To", reply.inReplyTo());
        }
        if (!reply.references().isEmpty()) {
            message.setHeader("References", String.join(" ", reply.references()));
        }
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.setText(reply.text(), StandardCharsets.UTF_8.name());
        message.saveChanges();
        return message;
    }

    private Path fileOf(String messageId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".eml");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
