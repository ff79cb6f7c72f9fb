package io.certloop.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One piece of evidence on an incident's append-only timeline. {@code id} is the row id (what
 * verification names); {@code previousHash} and {@code hash} chain it to the entry before it
 * (see {@link TimelineSeal}).
 */
public record TimelineEntry(
        Instant at, String type, String actor, JsonNode detail, long id, String previousHash, String hash) {}
