package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.probe.Finding;
import io.certloop.probe.ProbeReport;
import java.util.List;

/**
 * Findings that come from what the CA says about the presented certificate rather than from the handshake: its
 * renewal window (RFC 9773). Never throws: CA trouble must not break a detection cycle.
 */
@FunctionalInterface
interface RenewalCheck {

    List<Finding> findings(Endpoint endpoint, ProbeReport report);
}
