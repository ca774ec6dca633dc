package io.ragmail.core.smtp;

import io.ragmail.it.LoopbackProxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TCP proxy on a free port in front of a real SMTP server that holds back the server's answer to
 * the end of DATA (its 250) for {@code delay}: the server has taken the mail, but a client with a
 * shorter read timeout gives up first, which is the SMTP sink's ambiguity window.
 */
final class SlowSmtpProxy extends LoopbackProxy {

    private final Duration delay;

    SlowSmtpProxy(int upstreamPort, Duration delay) throws IOException {
        super(upstreamPort, "slow-smtp-proxy");
        this.delay = delay;
        start();
    }

    @Override
    protected void relay(Socket client, Socket server) throws IOException {
        Connection connection = new Connection();
        pump("up", () -> up(connection, client.getInputStream(), server.getOutputStream()));
        pump("down", () -> down(connection, server.getInputStream(), client.getOutputStream()));
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
}
