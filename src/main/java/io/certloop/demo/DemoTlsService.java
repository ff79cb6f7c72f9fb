package io.certloop.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny HTTPS service on loopback for the demo. Like many real services it reads its certificate
 * files again when they change, so a deployment is visible to the next handshake.
 */
final class DemoTlsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoTlsService.class);

    private final Path fullchain;
    private final Path key;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "demo-tls");
        thread.setDaemon(true);
        return thread;
    });
    private volatile SSLContext context;
    private volatile long loadedStamp;

    private final java.net.ServerSocket plain;

    private DemoTlsService(Path fullchain, Path key, java.net.ServerSocket plain) throws IOException {
        this.fullchain = fullchain;
        this.key = key;
        this.plain = plain;
        reloadIfChanged();
    }

    static DemoTlsService start(Path fullchain, Path key, int port) throws IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        DemoTlsService service = new DemoTlsService(fullchain, key, socket);
        Thread acceptor = new Thread(service::acceptLoop, "demo-tls-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return service;
    }

    int port() {
        return plain.getLocalPort();
    }

    private void acceptLoop() {
        while (!plain.isClosed()) {
            try {
                Socket raw = plain.accept();
                workers.execute(() -> serve(raw));
            } catch (IOException e) {
                if (!plain.isClosed()) {
                    log.warn("demo TLS service: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket raw) {
        try (raw) {
            raw.setSoTimeout(5000);
            reloadIfChanged();
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            byte[] buffer = new byte[1024];
            if (in.read(buffer) > 0) {
                OutputStream out = tls.getOutputStream();
                String body = "CertLoop demo service\n";
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                                + "\r\nConnection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("demo TLS service: connection ended: {}", e.getMessage());
        }
    }

    /** Loads the files when their modification time changed since the last load. */
    private synchronized void reloadIfChanged() throws IOException {
        long stamp = Files.getLastModifiedTime(fullchain).toMillis()
                ^ (Files.getLastModifiedTime(key).toMillis() << 1);
        if (context != null && stamp == loadedStamp) {
            return;
        }
        try {
            List<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(fullchain)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            PrivateKey privateKey =
                    readKey(Files.readString(key), chain.get(0).getPublicKey().getAlgorithm());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "demo".toCharArray();
            store.setKeyEntry("demo", privateKey, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            SSLContext fresh = SSLContext.getInstance("TLS");
            fresh.init(factory.getKeyManagers(), null, null);
            context = fresh;
            loadedStamp = stamp;
            log.info("demo TLS service: loaded certificate files at {}", Instant.now());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("demo TLS service cannot load its certificate files", e);
        }
    }

    private static PrivateKey readKey(String pem, String algorithm) throws java.security.GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm)
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Override
    public void close() throws IOException {
        plain.close();
        workers.shutdownNow();
    }
}
