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
 */
public final class TcpRelay implements AutoCloseable {

    private final int port;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

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
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException closedOrRefused) {
                // the listening socket closed (refuse) or the target refused: the client sees its connection end
            }
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
