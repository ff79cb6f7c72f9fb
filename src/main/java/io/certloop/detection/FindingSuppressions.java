package io.certloop.detection;

import java.util.Map;

/**
 * Which findings of an endpoint are excused for now (a policy exception the PKI board approved): they stay in
 * the probe result, marked, and open no incident. A port so detection does not know where exceptions live.
 */
public interface FindingSuppressions {

    /** Finding code to the id of the exception that excuses it; empty when none does. */
    Map<String, String> suppressedFindings(String endpointName);
}
