package io.ragmail.core.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
final class FaultyImapProxy implements AutoCloseable {

    private static final Pattern BODY_FETCH = Pattern.compile("^(\\S+) (UID )?FETCH .*BODY(\\.PEEK)?\\[\\]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String specialUseFolder;
    private volatile String specialUse;

    FaultyImapProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "faulty-imap-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
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

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(server);
                OutputStream toClient = client.getOutputStream();
                daemon(() -> responses(server.getInputStream(), toClient), "proxy-down");
                daemon(() -> commands(client.getInputStream(), server.getOutputStream(), toClient), "proxy-up");
            } catch (IOException e) {
                return;
            }
        }
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

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
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

    interface IoRunnable {
        void run() throws IOException;
    }

    private static void daemon(IoRunnable body, String name) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // the other side went away
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
