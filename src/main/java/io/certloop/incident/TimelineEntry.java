package io.certloop.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One piece of evidence on an incident's append-only timeline. */
public record TimelineEntry(Instant at, String type, String actor, JsonNode detail) {
}
