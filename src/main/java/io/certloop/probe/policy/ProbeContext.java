package io.certloop.probe.policy;

import io.certloop.probe.ProbeReport;
import java.time.Instant;

/**
 * What the checks look at: the report, what the caller expected, and the time of judgement.
 *
 * @param expectedSha256 fingerprint the leaf should have, or null
 * @param tier criticality 0 to 3, or null for the most cautious window
 */
public record ProbeContext(ProbeReport report, String expectedSha256, Integer tier, Instant now) {}
