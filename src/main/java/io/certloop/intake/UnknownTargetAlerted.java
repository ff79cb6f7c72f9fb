package io.certloop.intake;

import java.util.Map;

/**
 * An alert named a target that is not in the inventory. CertLoop never probes such a target;
 * the runbook starts the {@code triage-unknown-target} process so a person decides whether it
 * belongs in the inventory. Published synchronously inside the intake transaction.
 *
 * @param target       {@code host:port}, or the endpoint name the alert's {@code certloop_endpoint} label gave
 * @param alertname    the alert's name
 * @param alertSummary one line for the triage form: summary/description annotations and the key labels
 */
public record UnknownTargetAlerted(
        String target,
        String alertname,
        String alertSummary,
        Map<String, String> labels,
        Map<String, String> annotations) {}
