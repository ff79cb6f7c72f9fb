package io.certloop.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where deployments may write: inside one of {@code certloop.deployment.allowed-directories} (or a directory granted
 * by CertLoop's own code, {@link DeploymentDirectoryGrant}), never inside CertLoop's data directory or its
 * deployment state, judged on the real path. A path must be absolute and normalized (no {@code .} or {@code ..}
 * segments); its nearest existing ancestor is resolved with every symbolic link followed, so neither {@code ..}
 * nor a link can lead out of an allowed directory. The inventory asks at create and update, the deployer again
 * right before it writes: the configuration or the file system may have changed in between.
 */
public final class DeploymentPaths {

    private static final String SETTING = "certloop.deployment.allowed-directories";

    private final List<Path> allowed;
    private final List<Path> refused;
    private final List<DeploymentDirectoryGrant> grants;

    /**
     * @param allowed   absolute directories deployments may write in (empty: none, file deployment is off)
     * @param refused   CertLoop's own directories (data directory, deployment state), refused even when inside an
     *                  allowed one or listed as one
     * @param grants    directories CertLoop's code grants; each must lie outside or strictly inside a refused one
     */
    public DeploymentPaths(List<Path> allowed, List<Path> refused, List<DeploymentDirectoryGrant> grants) {
        for (Path directory : allowed) {
            if (!directory.isAbsolute()) {
                throw new IllegalArgumentException(SETTING + " must list absolute directories, was " + directory);
            }
        }
        this.allowed = List.copyOf(allowed);
        this.refused = refused.stream()
                .map(p -> p.toAbsolutePath().normalize())
                .distinct()
                .toList();
        for (DeploymentDirectoryGrant grant : grants) {
            for (Path own : this.refused) {
                if (own.startsWith(grant.directory())) {
                    throw new IllegalArgumentException("a deployment directory grant (" + grant.why()
                            + ") may not contain CertLoop's own directory " + own + ": " + grant.directory());
                }
            }
        }
        this.grants = List.copyOf(grants);
    }

    /** Why a deployment may not write {@code path}; empty when it may. */
    public Optional<String> refusal(Path path) {
        if (path == null) {
            return Optional.of("is required");
        }
        if (!path.isAbsolute()) {
            return Optional.of("must be an absolute path, was " + path);
        }
        if (!path.normalize().equals(path)) {
            return Optional.of("must be a normalized path (no '.' or '..' segments), was " + path);
        }
        Path real;
        try {
            real = realPath(path);
        } catch (IOException e) {
            return Optional.of("cannot be resolved (a symbolic link to nothing, or unreadable): " + path);
        }
        String resolved = real.equals(path) ? "" : " (resolves to " + real + ")";
        if (grants.stream().anyMatch(grant -> strictlyInside(real, grant.directory()))) {
            return Optional.empty();
        }
        for (Path own : refused) {
            if (real.startsWith(realOrSelf(own))) {
                return Optional.of("is inside CertLoop's own data directory " + own + resolved
                        + "; deployments never write there");
            }
        }
        if (allowed.isEmpty()) {
            return Optional.of("cannot be written: no directory is allowed for deployments (" + SETTING
                    + " is empty), so file deployment is off" + resolved);
        }
        if (allowed.stream().anyMatch(directory -> strictlyInside(real, directory))) {
            return Optional.empty();
        }
        return Optional.of(
                "is outside the directories deployments may write to (" + SETTING + ": " + allowed + ")" + resolved);
    }

    /** Refuses {@code path} (named {@code field} in the message) unless a deployment may write it. */
    void require(Path path, String field) {
        Optional<String> refusal = refusal(path);
        if (refusal.isPresent()) {
            throw new DeploymentException.PathRefused(field, path, refusal.get());
        }
    }

    List<Path> allowed() {
        return allowed;
    }

    private static boolean strictlyInside(Path real, Path directory) {
        Path root = realOrSelf(directory);
        return real.startsWith(root) && !real.equals(root);
    }

    private static Path realOrSelf(Path directory) {
        try {
            return realPath(directory.toAbsolutePath().normalize());
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    /**
     * The real path of the nearest ancestor that exists (itself a link or not), followed by the rest of the path.
     * A dangling link fails: it is an existing entry whose real path cannot be known.
     */
    static Path realPath(Path absolute) throws IOException {
        Path existing = absolute;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no existing ancestor of " + absolute);
        }
        Path real = existing.toRealPath();
        for (Path name : rest) {
            real = real.resolve(name);
        }
        return real;
    }
}
