package io.certloop.system.security;

import java.util.Optional;

/**
 * The person on whose behalf this thread acts: the API caller, or the user completing a task in
 * Tasklist or over the engine's REST API. Empty for CertLoop's own work (jobs, detection loop,
 * runbook starts), which is recorded as {@code certloop}.
 */
public interface CurrentUser {

    Optional<String> userId();
}
