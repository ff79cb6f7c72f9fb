package io.certloop.deployment;

import io.certloop.system.Fingerprints;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * File operations that never leave a half-written file where a service reads: content goes to a
 * temporary file in the target's own directory (same file system), is flushed to disk, and is then
 * renamed over the target with {@code ATOMIC_MOVE}. Secret files are created owner-only from the
 * first byte, not chmod-ed afterwards. A file that replaces another takes over its owner, group and mode
 * (a key file never more than owner read-write and group read): a service that reads its key as its own
 * user, or through a group such as Debian's {@code ssl-cert}, can still read the new one after its reload.
 * POSIX file systems only.
 */
final class AtomicFiles {

    static final String PREVIOUS_SUFFIX = ".certloop-prev";
    private static final String TEMP_SUFFIX = ".certloop-tmp";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");
    /** The most a key file may allow when it takes over the mode of the key it replaces. */
    static final Set<PosixFilePermission> KEY_AT_MOST = PosixFilePermissions.fromString("rw-r-----");

    private AtomicFiles() {}

    /** Content producer that may fail with I/O. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A written, flushed temporary file next to its target, and its digest. */
    record Temp(Path path, String sha256) {}

    static Temp writeTemp(Path target, boolean secret, Content content) throws IOException {
        Set<PosixFilePermission> permissions = secret ? OWNER_ONLY : PUBLIC_READ;
        FileAttribute<Set<PosixFilePermission>> initial = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        Path temp = Files.createTempFile(
                target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", TEMP_SUFFIX, initial);
        try {
            MessageDigest digest = Fingerprints.digest();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out =
                        new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)), digest);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            if (Files.exists(target)) {
                takeOverOwnership(target, temp, secret);
            } else {
                Files.setPosixFilePermissions(temp, permissions);
            }
            return new Temp(temp, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Gives {@code temp} the owner, group and mode of {@code target}, the file it will replace. Fails (and the
     * deployment with it, before any file is replaced) when CertLoop may not hand the file to that owner:
     * a key the service cannot read would be an outage at its next reload.
     */
    private static void takeOverOwnership(Path target, Path temp, boolean secret) throws IOException {
        PosixFileAttributes existing = Files.readAttributes(target, PosixFileAttributes.class);
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        mode.addAll(existing.permissions());
        if (secret) {
            mode.retainAll(KEY_AT_MOST);
            mode.add(PosixFilePermission.OWNER_READ);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        PosixFileAttributes written = view.readAttributes();
        view.setPermissions(mode); // before the owner changes: afterwards only the new owner (or root) may chmod
        try {
            if (!written.group().equals(existing.group())) {
                view.setGroup(existing.group());
            }
            if (!written.owner().equals(existing.owner())) {
                view.setOwner(existing.owner());
            }
        } catch (IOException e) {
            throw new IOException(
                    "cannot give the new " + target.getFileName() + " the owner "
                            + existing.owner().getName()
                            + " and group " + existing.group().getName() + " of the file it replaces (" + e.getMessage()
                            + "); the service could not read it. Run CertLoop as that user or with the right to change owners",
                    e);
        }
    }

    /** Renames the temporary file over the target atomically and makes the rename durable. */
    static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Where the content replaced at {@code target} is kept for rollback. */
    static Path previousOf(Path target) {
        return target.resolveSibling(target.getFileName() + PREVIOUS_SUFFIX);
    }

    /**
     * Copies {@code source} over {@code target} atomically. Over an existing target (a rollback restoring a
     * live file) the copy takes over the target's owner, group and mode, as a deployment does; a new target (the
     * copy kept for rollback) keeps the source's mode, owner-only if secret.
     */
    static void copyAtomically(Path source, Path target, boolean secret) throws IOException {
        Path temp = Files.createTempFile(
                target.toAbsolutePath().getParent(),
                "." + target.getFileName() + ".",
                TEMP_SUFFIX,
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            if (Files.exists(target)) {
                takeOverOwnership(target, temp, secret);
            } else if (secret) {
                Files.setPosixFilePermissions(temp, OWNER_ONLY);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** SHA-256 of a file's bytes in lowercase hex, or {@code null} if it does not exist. */
    static String sha256(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        MessageDigest digest = Fingerprints.digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
