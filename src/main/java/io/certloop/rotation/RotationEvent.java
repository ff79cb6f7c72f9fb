package io.certloop.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of a rotation's append-only, hash-chained timeline. */
public record RotationEvent(Instant at, String type, String actor, JsonNode detail, String previousHash, String hash) {}
