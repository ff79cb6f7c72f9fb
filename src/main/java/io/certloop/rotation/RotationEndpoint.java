package io.certloop.rotation;

import java.time.Instant;

/**
 * One endpoint of a rotation, as the record says: its wave, its state, the certificate it presented before (a
 * fresh probe when its turn came) and after (the issued certificate a fresh probe found live).
 *
 * @param incidentId the incident opened when it failed
 */
public record RotationEndpoint(
        String endpoint,
        int wave,
        EndpointState state,
        int attempts,
        String sha256Before,
        String sha256After,
        Instant startedAt,
        Instant finishedAt,
        String failure,
        String incidentId) {}
