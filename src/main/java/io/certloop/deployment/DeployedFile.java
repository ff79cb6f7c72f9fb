package io.certloop.deployment;

import java.nio.file.Path;

/**
 * Evidence for one file of a deployment or rollback. The SHA-256 of the certificate files lets
 * anyone compare disk, issuance and what the endpoint presents; for the key file no digest is
 * published (only whether it changed).
 *
 * @param role which file of the layout
 * @param path where it is
 * @param sha256 lowercase hex SHA-256 of the file now in place; {@code null} for the key file and
 *     for a file that a rollback removed
 * @param changed whether this operation replaced the file (false: it already had this content)
 * @param previousKept where the replaced content is kept for rollback; {@code null} if nothing was
 *     replaced or the file did not exist before
 */
public record DeployedFile(Role role, Path path, String sha256, boolean changed, Path previousKept) {

    /** The files of the certbot layout. */
    public enum Role {
        CERTIFICATE,
        CHAIN,
        FULLCHAIN,
        KEY
    }
}
