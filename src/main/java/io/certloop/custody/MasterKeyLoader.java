package io.certloop.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master key: the environment variable wins (container secrets), else the key file,
 * which is created with owner-only permissions on first start so a fresh install is safe by
 * default.
 */
final class MasterKeyLoader {

    static final String ENV_VARIABLE = "CERTLOOP_MASTER_KEY";
    static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private static final Logger log = LoggerFactory.getLogger(MasterKeyLoader.class);

    private MasterKeyLoader() {}

    static MasterKey load(String environmentValue, Path keyFile) {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return new MasterKey(decode(environmentValue, ENV_VARIABLE), ENV_VARIABLE);
        }
        if (!Files.exists(keyFile)) {
            create(keyFile);
        }
        warnIfReadableByOthers(keyFile);
        try {
            String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
            return new MasterKey(decode(text, keyFile.toString()), keyFile.toString());
        } catch (IOException e) {
            throw new CustodyException("cannot read master key file " + keyFile, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new CustodyException("master key from " + source + " is not valid base64");
        }
    }

    private static void create(Path keyFile) {
        byte[] bytes = new byte[MasterKey.LENGTH];
        new SecureRandom().nextBytes(bytes);
        try {
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (supportsPosix(keyFile)) {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(keyFile);
            }
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            log.info(
                    "created a new master key file {} (owner-only); back it up: without it no stored key can be opened",
                    keyFile);
        } catch (FileAlreadyExistsException e) {
            log.debug("master key file {} was created concurrently", keyFile);
        } catch (IOException e) {
            throw new CustodyException("cannot create master key file " + keyFile, e);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void warnIfReadableByOthers(Path keyFile) {
        if (!supportsPosix(keyFile)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn(
                        "master key file {} has permissions {}; it should be rw------- (chmod 600)",
                        keyFile,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (IOException e) {
            log.warn("cannot read permissions of master key file {}: {}", keyFile, e.toString());
        }
    }

    private static boolean supportsPosix(Path file) {
        return file.toAbsolutePath()
                .getFileSystem()
                .supportedFileAttributeViews()
                .contains("posix");
    }
}
