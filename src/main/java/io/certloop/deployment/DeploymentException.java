package io.certloop.deployment;

/**
 * Root of the deployment boundary's exceptions. They mean "refused" or "could not touch the
 * files"; a reload that fails is not an exception but an outcome in {@link DeploymentResult},
 * because the runbook routes it (to rollback) rather than retrying it.
 */
public class DeploymentException extends RuntimeException {

    public DeploymentException(String message) {
        super(message);
    }

    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The request is malformed (missing key path, relative path, no certificate file ...). */
    public static class InvalidRequest extends DeploymentException {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /**
     * The path lies outside the directories deployments may write to ({@link DeploymentPaths}): nothing was
     * written. Retrying will not help until the inventory or the server configuration changes, so a runbook
     * hands it to a person.
     */
    public static class PathRefused extends DeploymentException {
        private final String field;

        public PathRefused(String field, java.nio.file.Path path, String reason) {
            super(field + " " + path + " " + reason);
            this.field = field;
        }

        /** The refused target field, e.g. {@code target.keyPath}. */
        public String field() {
            return field;
        }
    }

    /**
     * The named reload action is not configured on this server. Callers cannot supply commands,
     * only names; an unknown name is refused before any file is touched.
     */
    public static class UnknownReloadAction extends DeploymentException {
        private final String name;

        public UnknownReloadAction(String name) {
            super("reload action '" + name + "' is not configured (certloop.deployment.reload-actions)");
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /**
     * The idempotency key was used before for different content, or the files changed since the
     * deployment that is being rolled back: acting would overwrite someone else's change.
     */
    public static class Conflict extends DeploymentException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** No deployment with this id is known to this server. */
    public static class NotFound extends DeploymentException {
        public NotFound(String deploymentId) {
            super("no deployment with id '" + deploymentId + "'");
        }
    }

    /** Reading or writing the target files or the deployment state failed; the cause is kept. */
    public static class Storage extends DeploymentException {
        public Storage(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
