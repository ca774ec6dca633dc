package io.ragmail.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port in front of a real server, for faults the real server cannot
 * be made to show (a refused fetch, a late answer). Subclasses decide what passes in {@link #relay};
 * the accepting, the pump threads and the closing are here once.
 */
public abstract class LoopbackProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final String name;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    protected LoopbackProxy(int upstreamPort, String name) throws IOException {
        this.upstreamPort = upstreamPort;
        this.name = name;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Starts accepting; the subclass calls it last in its constructor, once its own fields are set. */
    protected final void start() {
        Thread acceptor = new Thread(this::acceptLoop, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Starts the pumps of one proxied connection, usually two {@link #pump}s, one per direction. */
    protected abstract void relay(Socket client, Socket server) throws IOException;

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(server);
                relay(client, server);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Runs {@code body} on a daemon thread; an {@link IOException} means the other side went away. */
    protected final void pump(String direction, IoRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // the other side went away
            }
        }, name + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    /** One line including its {@code \n}, the rest at the end of the stream, or null at its end. */
    protected static byte[] readLine(InputStream in) throws IOException {
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

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** A pump's body. */
    public interface IoRunnable {
        void run() throws IOException;
    }
}
