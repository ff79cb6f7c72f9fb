package io.certloop.probe.revocation;

import io.certloop.probe.guard.ProbeTargetGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.0 client for CRL and OCSP fetches. The URLs come from the probed
 * certificate, i.e. from whoever runs the probed server, so the host goes through the SSRF guard
 * and the connection goes to the checked address (no second lookup). Bounded in time and size.
 */
public class RevocationFetcher {

    static final int MAX_BYTES = 20 * 1024 * 1024;

    private final ProbeTargetGuard guard;
    private final Duration timeout;

    public RevocationFetcher(ProbeTargetGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
    }

    /** GET when {@code body} is null, otherwise POST with the given content type. */
    byte[] fetch(URI uri, byte[] body, String contentType) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IOException("only http:// revocation URLs are fetched: " + uri);
        }
        InetAddress address = guard.permitFetch(uri.getHost());
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        long deadline = System.nanoTime() + timeout.toNanos() * 2;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder request = new StringBuilder()
                    .append(body == null ? "GET " : "POST ")
                    .append(path)
                    .append(" HTTP/1.0\r\n")
                    .append("Host: ")
                    .append(uri.getHost())
                    .append(uri.getPort() == -1 ? "" : ":" + port)
                    .append("\r\n")
                    .append("User-Agent: certloop-probe\r\nAccept: */*\r\nConnection: close\r\n");
            if (body != null) {
                request.append("Content-Type: ")
                        .append(contentType)
                        .append("\r\n")
                        .append("Content-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(readAll(socket.getInputStream(), deadline), uri);
        }
    }

    private static byte[] readAll(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = in.read(chunk)) != -1) {
            buffer.write(chunk, 0, read);
            if (buffer.size() > MAX_BYTES) {
                throw new IOException("response larger than " + MAX_BYTES + " bytes");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("response too slow");
            }
        }
        return buffer.toByteArray();
    }

    private static byte[] parse(byte[] response, URI uri) throws IOException {
        int headerEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
            throw new IOException("malformed HTTP response from " + uri);
        }
        String head = new String(response, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ");
        if (status.length < 2 || !status[1].equals("200")) {
            throw new IOException("HTTP " + lines[0] + " from " + uri);
        }
        byte[] body = Arrays.copyOfRange(response, headerEnd + 4, response.length);
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                return dechunk(body);
            }
        }
        return body;
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int lineEnd = indexOf(
                    Arrays.copyOfRange(body, position, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                throw new IOException("malformed chunked body");
            }
            String sizeText = new String(body, position, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip();
            int size = Integer.parseInt(sizeText, 16);
            position += lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (position + size > body.length) {
                throw new IOException("truncated chunked body");
            }
            out.write(body, position, size);
            position += size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
