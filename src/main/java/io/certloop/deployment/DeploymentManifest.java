package io.certloop.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a deployment intends to put where, and what was there before: enough to repeat it safely
 * and to roll it back after a restart. Holds paths and digests, never key bytes; it is written
 * before the first target file is replaced.
 */
record DeploymentManifest(
        String deploymentId,
        String reloadAction,
        String answerHost,
        Integer answerPort,
        Instant createdAt,
        List<Entry> files,
        Instant releasedAt) {

    DeploymentManifest {
        files = List.copyOf(files);
    }

    DeploymentManifest released(Instant at) {
        return new DeploymentManifest(deploymentId, reloadAction, answerHost, answerPort, createdAt, files, at);
    }

    /**
     * One file. {@code sha256} is what the deployment writes; {@code previousSha256} what was there
     * ({@code null}: nothing). The key file's digests stay in this owner-only state file and are
     * not published as evidence.
     */
    record Entry(DeployedFile.Role role, String path, String sha256, String previousSha256) {

        boolean changes() {
            return !Objects.equals(sha256, previousSha256);
        }

        boolean previousExisted() {
            return previousSha256 != null;
        }
    }
}
