package io.certloop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * An in-JVM TLS server on a loopback port that presents exactly the chain it is given (in the
 * given order, incomplete or odd as it may be), so tests can meet every certificate failure on a
 * real handshake. It completes the handshake, answers an HTTP request with a tiny 200 response
 * (so HTTP clients work too), then closes.
 *
 * <pre>{@code
 * try (TlsTestServer server = TlsTestServer.start(leaf.chain(), leaf.privateKey())) {
 *     prober.probe("svc.test", server.port(), ...);
 * }
 * }</pre>
 *
 * Different chains per SNI name: {@code TlsTestServer.builder().chain(default...).sni("b.test", chainB, keyB).start()}.
 */
public final class TlsTestServer implements AutoCloseable {

    private final SSLServerSocket serverSocket;
    private final ExecutorService workers;
    private final AtomicInteger handshakes = new AtomicInteger();
    /**
     * Names asked for, recorded while the server picks its certificate (before its ServerHello), so a
     * client that finished its handshake can already see them; one entry per handshake.
     */
    private final java.util.Map<SSLSession, List<String>> requestedByHandshake =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    private volatile boolean closed;

    private TlsTestServer(Builder builder) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                new KeyManager[] {new FixedKeyManager(builder.defaultEntry, builder.bySni, this::recordRequested)},
                null,
                null);
        serverSocket = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(builder.port, 50, builder.bindAddress);
        if (builder.protocols != null) {
            serverSocket.setEnabledProtocols(builder.protocols);
        }
        workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "tls-test-server-" + serverSocket.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
        workers.submit(this::acceptLoop);
    }

    /** Starts a server on 127.0.0.1 and a random port presenting {@code chain} (sent as given). */
    public static TlsTestServer start(List<X509Certificate> chain, PrivateKey key) {
        return builder().chain(chain, key).start();
    }

    /** Starts a server presenting {@link TestCertificates.Issued#chain()} of the given certificate. */
    public static TlsTestServer start(TestCertificates.Issued certificate) {
        return start(certificate.chain(), certificate.privateKey());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    /** Completed handshakes so far. */
    public int handshakes() {
        return handshakes.get();
    }

    /** SNI host names clients asked for, in order. */
    public List<String> requestedServerNames() {
        synchronized (requestedByHandshake) {
            return requestedByHandshake.values().stream().flatMap(List::stream).toList();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            workers.shutdownNow();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                workers.submit(() -> serve((SSLSocket) socket));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            handshakes.incrementAndGet();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            if (read > 0) {
                socket.getOutputStream()
                        .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes());
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            // a client that disconnects early (or a probe that only handshakes) is normal here
        }
    }

    /** Configures a {@link TlsTestServer}. */
    public static final class Builder {
        private Entry defaultEntry;
        private final Map<String, Entry> bySni = new LinkedHashMap<>();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private String[] protocols;

        /** The chain sent when no SNI-specific chain matches. */
        public Builder chain(List<X509Certificate> chain, PrivateKey key) {
            this.defaultEntry = new Entry(List.copyOf(chain), key);
            return this;
        }

        public Builder chain(TestCertificates.Issued certificate) {
            return chain(certificate.chain(), certificate.privateKey());
        }

        /** A chain sent only when the client asks for {@code serverName} via SNI. */
        public Builder sni(String serverName, List<X509Certificate> chain, PrivateKey key) {
            bySni.put(serverName.toLowerCase(), new Entry(List.copyOf(chain), key));
            return this;
        }

        /** Bind address, e.g. 127.0.0.2 for a second backend on the same port (Linux answers all of 127/8). */
        public Builder bind(String address) {
            try {
                this.bindAddress = InetAddress.getByName(address);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Fixed port (0 = random). */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Restrict protocols, e.g. "TLSv1.2". */
        public Builder protocols(String... names) {
            this.protocols = names;
            return this;
        }

        public TlsTestServer start() {
            if (defaultEntry == null) {
                throw new IllegalStateException("a default chain is required");
            }
            try {
                return new TlsTestServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Entry(List<X509Certificate> chain, PrivateKey key) {}

    /** Always offers its own chain, whatever the client hints; picks by SNI when configured. */
    private void recordRequested(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            List<String> names = new java.util.ArrayList<>();
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    names.add(host.getAsciiName());
                }
            }
            requestedByHandshake.putIfAbsent(handshake, List.copyOf(names));
        }
    }

    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final java.util.function.Consumer<SSLSession> onHandshake;

        FixedKeyManager(
                Entry defaultEntry, Map<String, Entry> bySni, java.util.function.Consumer<SSLSession> onHandshake) {
            this.onHandshake = onHandshake;
            entries.put("default", defaultEntry);
            bySni.forEach((name, entry) -> entries.put("sni:" + name, entry));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return choose(keyType, engine == null ? null : engine.getHandshakeSession());
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
            return choose(keyType, session);
        }

        private String choose(String keyType, SSLSession session) {
            if (session != null) {
                onHandshake.accept(session);
            }
            String alias = "default";
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host
                            && entries.containsKey("sni:" + host.getAsciiName().toLowerCase())) {
                        alias = "sni:" + host.getAsciiName().toLowerCase();
                    }
                }
            }
            return matches(keyType, entries.get(alias).key()) ? alias : null;
        }

        private static boolean matches(String keyType, PrivateKey key) {
            String algorithm = key.getAlgorithm();
            if (keyType == null) {
                return true;
            }
            if ("RSA".equals(algorithm)) {
                return keyType.startsWith("RSA");
            }
            return keyType.startsWith(algorithm) || ("EC".equals(algorithm) && keyType.startsWith("EC"));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Entry entry = entries.get(alias);
            return entry == null ? null : entry.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Entry entry = entries.get(alias);
            return entry == null ? null : entry.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            List<String> aliases = new ArrayList<>();
            entries.forEach((alias, entry) -> {
                if (matches(keyType, entry.key())) {
                    aliases.add(alias);
                }
            });
            return aliases.toArray(String[]::new);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** Convenience for tests that need the bound socket address. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address(), port());
    }
}
