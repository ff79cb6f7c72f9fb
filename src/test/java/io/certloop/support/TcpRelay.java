package io.certloop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain TCP relay on a fixed loopback port in front of a server (pebble), that a test can {@link #refuse()} and
 * {@link #accept()} again: while refusing nothing listens on the port (connection refused) and open connections
 * are cut, exactly what CertLoop sees of a CA that is down. The server behind it keeps its state (pebble keeps its
 * ACME accounts and issuing root only in memory, so stopping its process would also lose those). TLS passes
 * through untouched; pebble builds its URLs from the Host header, so they name the relay.
 *
 * <p>A test can also {@link #holdFrom(int) hold} connections in which the client speaks first (TLS): a held
 * connection has sent its first bytes (a ClientHello) and gets no answer until {@link #release()}, so the
 * client's step is stalled from the outside, observably ({@link #held()}), for as long as the test wants (to kill
 * the client's process inside that step). Connections that close without a byte (a TCP "does it answer?" check)
 * are not counted and never held.
 */
public final class TcpRelay implements AutoCloseable {

    private final int port;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    /** Connections that sent bytes so far; the one numbered {@link #holdFrom} and later ones are held. */
    private final java.util.concurrent.atomic.AtomicInteger speaking = new java.util.concurrent.atomic.AtomicInteger();

    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int holdFrom = Integer.MAX_VALUE;
    private final Object releases = new Object();

    private TcpRelay(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
    }

    /** A relay from a free loopback port to {@code targetPort}, accepting connections. */
    public static TcpRelay to(int targetPort) {
        TcpRelay relay = new TcpRelay(PebbleServer.freePort(), targetPort);
        relay.accept();
        return relay;
    }

    public int port() {
        return port;
    }

    /** Listens (again) on the same port and relays every connection. */
    public synchronized void accept() {
        if (server != null && !server.isClosed()) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
            Thread loop = new Thread(() -> acceptLoop(socket), "tcp-relay-" + port);
            loop.setDaemon(true);
            loop.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port, e);
        }
    }

    /**
     * Holds the {@code n}-th connection from now that sends bytes, and every later one, until {@link #release()}:
     * 1 = the next one.
     */
    public void holdFrom(int n) {
        holdFrom = speaking.get() + n;
    }

    /** Connections held so far (since the relay was made). */
    public int held() {
        return held.get();
    }

    /** Stops holding: held connections go on to the server (or end, if their client went away). */
    public void release() {
        holdFrom = Integer.MAX_VALUE;
        synchronized (releases) {
            releases.notifyAll();
        }
    }

    /** Stops listening and cuts every open connection: connections are refused until {@link #accept()}. */
    public synchronized void refuse() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        sockets.clear();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                sockets.add(client);
                if (holdFrom == Integer.MAX_VALUE) {
                    connect(client, new byte[0], 0);
                } else {
                    Thread first = new Thread(() -> holdOrConnect(client), "tcp-relay-first-" + port);
                    first.setDaemon(true);
                    first.start();
                }
            } catch (IOException closedOrRefused) {
                // the listening socket closed (refuse): the client sees its connection end
            }
        }
    }

    /** Reads the client's first bytes, holds the connection if its number is due, then relays it. */
    private void holdOrConnect(Socket client) {
        try {
            byte[] first = new byte[16384];
            int n = client.getInputStream().read(first);
            if (n < 0) {
                close(client);
                return;
            }
            if (speaking.incrementAndGet() >= holdFrom) {
                held.incrementAndGet();
                synchronized (releases) {
                    while (speaking.get() >= holdFrom && !client.isClosed()) {
                        releases.wait(100);
                    }
                }
            }
            connect(client, first, n);
        } catch (IOException | InterruptedException ended) {
            close(client);
        }
    }

    private void connect(Socket client, byte[] first, int n) {
        try {
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(upstream);
            upstream.getOutputStream().write(first, 0, n);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException refused) {
            close(client); // the target refused: the client sees its connection end
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ended) {
                        // either side closed
                    } finally {
                        close(from);
                        close(to);
                    }
                },
                "tcp-relay-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        refuse();
    }
}
