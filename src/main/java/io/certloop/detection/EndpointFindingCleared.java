package io.certloop.detection;

import java.time.Instant;

/** A finding that was standing on an inventory endpoint is no longer observed (e.g. verified fixed). */
public record EndpointFindingCleared(long endpointId, String endpointName, String code, Instant clearedAt) {}
