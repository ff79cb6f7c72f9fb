package io.certloop.detection;

import io.certloop.probe.Finding;
import java.time.Instant;

/**
 * A finding appeared on an inventory endpoint (published once; a standing finding is not
 * re-announced every detection cycle). Runbooks subscribe to this.
 */
public record EndpointFindingRaised(
        long endpointId, String endpointName, int tier, Finding finding, String leafSha256, Instant raisedAt) {}
