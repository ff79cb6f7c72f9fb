package io.certloop.probe.revocation;

import io.certloop.probe.guard.ProbeRefusedException;
import io.certloop.probe.guard.ProbeTargetGuard;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.0 client for CRL and OCSP fetches. The URLs come from the probed
 * certificate, i.e. from whoever runs the probed server, so the host goes through the SSRF guard
 * ({@link ProbeTargetGuard#permitFetch}), is resolved once, and the connection goes to the checked
 * address. Every connect and read waits at most what remains of the probe's {@link Deadline}; the
 * body is read through a counter that stops at the caller's cap, whatever Content-Length or chunk
 * sizes the server announces. Failures carry a fixed reason; what the server said stays in the log.
 */
public class RevocationFetcher {

    /** Status line and headers together; a CRL server has no reason to send more. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final ProbeTargetGuard guard;

    public RevocationFetcher(ProbeTargetGuard guard) {
        this.guard = guard;
    }

    /**
     * GET when {@code body} is null, otherwise POST with the given content type.
     *
     * @param maxBytes the largest body accepted; reading stops there ({@link Revocation#TOO_LARGE})
     */
    byte[] fetch(URI uri, byte[] body, String contentType, int maxBytes, Deadline deadline)
            throws RevocationFetchException {
        if (uri.getScheme() == null
                || !"http".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new RevocationFetchException(Revocation.UNSUPPORTED_URL, "not an http:// URL: " + uri);
        }
        InetAddress address;
        try {
            address = guard.permitFetch(uri.getHost());
        } catch (ProbeRefusedException e) {
            throw new RevocationFetchException(Revocation.REFUSED_ADDRESS, e.getMessage());
        } catch (UnknownHostException e) {
            throw new RevocationFetchException(Revocation.FETCH_FAILED, "cannot resolve " + uri.getHost());
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (deadline.passed()) {
            throw new RevocationFetchException(Revocation.TIMEOUT, "no time left to fetch " + uri);
        }
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(uri, port, body, contentType));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
            return readResponse(in, uri, maxBytes);
        } catch (SocketTimeoutException e) {
            throw new RevocationFetchException(Revocation.TIMEOUT, "timed out fetching " + uri, e);
        } catch (IOException e) {
            throw new RevocationFetchException(Revocation.FETCH_FAILED, "fetching " + uri + " failed", e);
        }
    }

    private static byte[] requestHead(URI uri, int port, byte[] body, String contentType) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
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
        return request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readResponse(InputStream in, URI uri, int maxBytes)
            throws IOException, RevocationFetchException {
        int[] headerBudget = {MAX_HEADER_BYTES};
        String statusLine = readLine(in, headerBudget, uri);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/") || !status[1].equals("200")) {
            throw new RevocationFetchException(
                    Revocation.FETCH_FAILED,
                    "HTTP status " + (status.length < 2 ? "?" : sanitize(status[1])) + " from " + uri);
        }
        boolean chunked = false;
        long contentLength = -1;
        for (String line = readLine(in, headerBudget, uri); !line.isEmpty(); line = readLine(in, headerBudget, uri)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                try {
                    contentLength = Long.parseLong(
                            lower.substring("content-length:".length()).strip());
                } catch (NumberFormatException e) {
                    throw new RevocationFetchException(Revocation.FETCH_FAILED, "bad Content-Length from " + uri);
                }
            }
        }
        if (!chunked && contentLength > maxBytes) {
            throw new RevocationFetchException(
                    Revocation.TOO_LARGE, "announced " + contentLength + " bytes, cap " + maxBytes + ": " + uri);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        if (chunked) {
            readChunked(in, buffer, maxBytes, uri);
        } else {
            long limit = contentLength >= 0 ? contentLength : (long) maxBytes + 1;
            copy(in, buffer, limit, maxBytes, uri);
            if (contentLength >= 0 && buffer.size() < contentLength) {
                throw new RevocationFetchException(Revocation.FETCH_FAILED, "truncated body from " + uri);
            }
        }
        return buffer.toByteArray();
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream buffer, int maxBytes, URI uri)
            throws IOException, RevocationFetchException {
        int[] lineBudget = {MAX_HEADER_BYTES};
        while (true) {
            String sizeLine = readLine(in, lineBudget, uri).split(";", 2)[0].strip();
            long size;
            try {
                size = sizeLine.length() > 8 ? Long.MAX_VALUE : Long.parseLong(sizeLine, 16);
            } catch (NumberFormatException e) {
                throw new RevocationFetchException(Revocation.FETCH_FAILED, "malformed chunk from " + uri);
            }
            if (size == 0) {
                return;
            }
            if (buffer.size() + size > maxBytes) {
                throw new RevocationFetchException(Revocation.TOO_LARGE, "chunks beyond " + maxBytes + ": " + uri);
            }
            copy(in, buffer, size, maxBytes, uri);
            if (in.read() != '\r' || in.read() != '\n') {
                throw new RevocationFetchException(Revocation.FETCH_FAILED, "malformed chunk end from " + uri);
            }
            lineBudget[0] = MAX_HEADER_BYTES;
        }
    }

    /** Copies exactly {@code count} bytes (or to the end when the count is a cap), never more than the cap. */
    private static void copy(InputStream in, ByteArrayOutputStream buffer, long count, int maxBytes, URI uri)
            throws IOException, RevocationFetchException {
        byte[] chunk = new byte[16 * 1024];
        long left = count;
        while (left > 0) {
            int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (read == -1) {
                return;
            }
            buffer.write(chunk, 0, read);
            left -= read;
            if (buffer.size() > maxBytes) {
                throw new RevocationFetchException(Revocation.TOO_LARGE, "more than " + maxBytes + " bytes: " + uri);
            }
        }
    }

    private static String readLine(InputStream in, int[] budget, URI uri) throws IOException, RevocationFetchException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = in.read();
            if (next == -1) {
                throw new RevocationFetchException(Revocation.FETCH_FAILED, "response ended early from " + uri);
            }
            if (--budget[0] < 0) {
                throw new RevocationFetchException(Revocation.FETCH_FAILED, "header too long from " + uri);
            }
            if (next == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            line.append((char) next);
        }
    }

    /** For the log: the status code only, as digits. */
    private static String sanitize(String code) {
        return code.length() <= 3 && code.chars().allMatch(Character::isDigit) ? code : "?";
    }

    /**
     * Gives every read of the socket only what remains of the deadline: a server that trickles one
     * byte at a time cannot extend the fetch, as it could with a fixed read timeout.
     */
    private static final class DeadlineInputStream extends FilterInputStream {

        private final Socket socket;
        private final Deadline deadline;

        DeadlineInputStream(Socket socket, Deadline deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }

        private void arm() throws IOException {
            if (deadline.passed()) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout(deadline.remainingMillis());
        }
    }
}
