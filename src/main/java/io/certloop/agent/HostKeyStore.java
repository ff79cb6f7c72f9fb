package io.certloop.agent;

import io.certloop.custody.HostKeys;
import io.certloop.custody.KeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The keys an agent generated and has not yet handed to a service: one owner-only PEM file per request (the
 * runbook's incident), next to the CSR made from it. A repeated request (a CSR answer that got lost) answers the
 * same CSR for the same key; the key file goes when its deployment is released.
 */
final class HostKeyStore {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path directory;

    HostKeyStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The CSR for the request's key; the key is generated (and kept) on the first call only. */
    synchronized String csr(String requestId, KeySpec spec, List<String> names) throws IOException {
        Path key = keyFile(requestId);
        Path csr = directory.resolve(requestId + ".csr.pem");
        if (Files.exists(key) && Files.exists(csr)) {
            return Files.readString(csr, StandardCharsets.US_ASCII);
        }
        ensureDirectory();
        Path temp = Files.createTempFile(
                directory,
                ".key.",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            String pem;
            try (OutputStream out = Files.newOutputStream(temp)) {
                pem = HostKeys.generate(spec, names, out);
            }
            Files.writeString(csr, pem, StandardCharsets.US_ASCII);
            Files.move(temp, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return pem;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The kept key of a request, if this host has it. */
    Optional<Path> key(String requestId) {
        Path key = keyFile(requestId);
        return Files.isRegularFile(key) ? Optional.of(key) : Optional.empty();
    }

    /** Forgets the request's key: its certificate is live and verified, the service's key file is the only copy. */
    synchronized void forget(String requestId) throws IOException {
        Files.deleteIfExists(keyFile(requestId));
        Files.deleteIfExists(directory.resolve(requestId + ".csr.pem"));
    }

    private Path keyFile(String requestId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("not a request id: " + requestId);
        }
        return directory.resolve(requestId + ".key.pem");
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }
}
