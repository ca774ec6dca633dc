package io.ragmail.core.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free port in front of a real SMTP server that holds back the server's answer to
 * the end of DATA (its 250) for {@code delay}: the server has taken the mail, but a client with a
 * shorter read timeout gives up first, which is the SMTP sink's ambiguity window.
 */
final class SlowSmtpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Duration delay;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    SlowSmtpProxy(int upstreamPort, Duration delay) throws IOException {
        this.upstreamPort = upstreamPort;
        this.delay = delay;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "slow-smtp-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(server);
                Connection connection = new Connection();
                daemon(() -> up(connection, client.getInputStream(), server.getOutputStream()));
                daemon(() -> down(connection, server.getInputStream(), client.getOutputStream()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Per connection: whether the next server line answers the end of DATA. */
    private static final class Connection {
        volatile boolean inData;
        volatile boolean holdNextReply;
    }

    private void up(Connection c, InputStream fromClient, OutputStream toServer) throws IOException {
        byte[] line;
        while ((line = readLine(fromClient)) != null) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (!c.inData && text.strip().equalsIgnoreCase("DATA")) {
                c.inData = true;
            } else if (c.inData && text.equals(".\r\n")) {
                c.inData = false;
                c.holdNextReply = true;
            }
            toServer.write(line);
            toServer.flush();
        }
        toServer.close();
    }

    private void down(Connection c, InputStream fromServer, OutputStream toClient) throws IOException {
        byte[] line;
        while ((line = readLine(fromServer)) != null) {
            if (c.holdNextReply) {
                c.holdNextReply = false;
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            toClient.write(line);
            toClient.flush();
        }
        toClient.close();
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

    interface IoRunnable {
        void run() throws IOException;
    }

    private static void daemon(IoRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // the other side went away
            }
        }, "slow-smtp-proxy-pump");
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
