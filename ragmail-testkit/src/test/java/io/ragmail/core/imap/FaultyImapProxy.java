package io.ragmail.core.imap;

import io.ragmail.it.LoopbackProxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on a free port in front of a real IMAP server that answers a given number of
 * whole-message body fetches itself with {@code NO [UNAVAILABLE]}, as a production server does when
 * its storage backend is briefly away (RFC 5530), and that can mark a folder in LIST responses with
 * an RFC 6154 special-use attribute, which GreenMail does not send. Everything else passes through
 * unchanged.
 *
 * <p>Client commands are read line by line (literals are passed on as they are); the server's bytes
 * are copied as they come. Safe for clients that wait for each command's completion before sending
 * the next, as Jakarta Mail does.
 */
final class FaultyImapProxy extends LoopbackProxy {

    private static final Pattern BODY_FETCH = Pattern.compile("^(\\S+) (UID )?FETCH .*BODY(\\.PEEK)?\\[\\]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile String specialUseFolder;
    private volatile String specialUse;

    FaultyImapProxy(int upstreamPort) throws IOException {
        super(upstreamPort, "faulty-imap-proxy");
        start();
    }

    /** The next {@code n} whole-message fetches are answered {@code NO [UNAVAILABLE]}. */
    void refuseNextBodyFetches(int n) {
        failuresLeft.set(n);
    }

    /** LIST responses name {@code folder} with the attribute {@code attribute}, e.g. {@code \Drafts}. */
    void markSpecialUse(String folder, String attribute) {
        this.specialUseFolder = folder;
        this.specialUse = attribute;
    }

    /** How many fetches were refused so far. */
    int refused() {
        return refused.get();
    }

    @Override
    protected void relay(Socket client, Socket server) throws IOException {
        OutputStream toClient = client.getOutputStream();
        pump("down", () -> responses(server.getInputStream(), toClient));
        pump("up", () -> commands(client.getInputStream(), server.getOutputStream(), toClient));
    }

    private void commands(InputStream fromClient, OutputStream toServer, OutputStream toClient) throws IOException {
        while (true) {
            byte[] line = readLine(fromClient);
            if (line == null) {
                toServer.close();
                return;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1).strip();
            Matcher fetch = BODY_FETCH.matcher(text);
            if (fetch.find() && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                synchronized (toClient) {
                    toClient.write((fetch.group(1) + " NO [UNAVAILABLE] message store briefly unavailable\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    toClient.flush();
                }
                continue;
            }
            toServer.write(line);
            Matcher literal = LITERAL.matcher(text);
            if (literal.find()) {
                toServer.write(fromClient.readNBytes(Integer.parseInt(literal.group(1))));
            }
            toServer.flush();
        }
    }

    private void responses(InputStream fromServer, OutputStream toClient) throws IOException {
        byte[] line;
        while ((line = readLine(fromServer)) != null) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            String folder = specialUseFolder;
            if (folder != null && text.startsWith("* LIST (") && text.strip().endsWith(" " + folder)
                    || folder != null && text.startsWith("* LIST (") && text.strip().endsWith(" \"" + folder + "\"")) {
                String rest = text.substring("* LIST (".length());
                line = ("* LIST (" + specialUse + (rest.startsWith(")") ? "" : " ") + rest)
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            byte[] literal = null;
            Matcher m = LITERAL.matcher(text.strip());
            if (m.find()) {
                literal = fromServer.readNBytes(Integer.parseInt(m.group(1)));
            }
            synchronized (toClient) {
                toClient.write(line);
                if (literal != null) {
                    toClient.write(literal);
                }
                toClient.flush();
            }
        }
        toClient.close();
    }
}
