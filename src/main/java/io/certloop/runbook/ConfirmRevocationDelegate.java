package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.probe.revocation.RevocationAnswer;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.RevocationEvidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Revocation propagation step 1: what the CA's CRL and its OCSP responder each say now (both asked), recorded as
 * evidence with the subcategory the answers point to.
 */
@Component("confirmRevocationDelegate")
class ConfirmRevocationDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    ConfirmRevocationDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        RevocationEvidence evidence = remediation.revocationStatus(endpointOfIncident(execution, incidents));
        StringBuilder text = new StringBuilder()
                .append(evidence.status())
                .append(" from ")
                .append(evidence.source())
                .append(evidence.url() == null ? "" : " " + evidence.url())
                .append(evidence.revokedAt() == null ? "" : ", revoked at " + evidence.revokedAt())
                .append(": ")
                .append(evidence.detail());
        evidence.answers().forEach(answer -> text.append('\n').append(sentence(answer)));
        execution.setVariable(REVOCATION_EVIDENCE, text.toString());
        execution.setVariable(EVIDENCE_POINTS_TO, evidence.pointsTo());
        execution.setVariable(PRESENTED_SHA256, evidence.presentedSha256());
        execution.setVariable(PRESENTED_SPKI_SHA256, evidence.presentedSpkiSha256());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", evidence.status());
        detail.put("source", evidence.source());
        detail.put("url", String.valueOf(evidence.url()));
        detail.put("revokedAt", String.valueOf(evidence.revokedAt()));
        detail.put("detail", String.valueOf(evidence.detail()));
        detail.put("presentedSha256", String.valueOf(evidence.presentedSha256()));
        detail.put("presentedSpkiSha256", String.valueOf(evidence.presentedSpkiSha256()));
        for (RevocationAnswer answer : evidence.answers()) {
            detail.put(answer.source().toLowerCase(java.util.Locale.ROOT), answer(answer));
        }
        detail.put("pointsTo", evidence.pointsTo());
        incidents.record(incidentId(execution), TimelineTypes.REVOCATION_CONFIRMED, detail);
    }

    /** One source's answer as the timeline keeps it (every field present, null when the source did not say). */
    static Map<String, Object> answer(RevocationAnswer answer) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", answer.status().name());
        map.put("url", answer.url());
        map.put(
                "thisUpdate",
                answer.thisUpdate() == null ? null : answer.thisUpdate().toString());
        map.put(
                "nextUpdate",
                answer.nextUpdate() == null ? null : answer.nextUpdate().toString());
        map.put(
                "revokedAt",
                answer.revokedAt() == null ? null : answer.revokedAt().toString());
        map.put("revocationReason", answer.revocationReason());
        map.put("reason", answer.reason());
        map.put("detail", answer.detail());
        return map;
    }

    private static String sentence(RevocationAnswer answer) {
        List<String> parts = new java.util.ArrayList<>();
        parts.add(answer.source() + ": " + answer.status() + (answer.url() == null ? "" : " at " + answer.url()));
        if (answer.thisUpdate() != null) {
            parts.add("thisUpdate " + answer.thisUpdate());
        }
        if (answer.nextUpdate() != null) {
            parts.add("nextUpdate " + answer.nextUpdate());
        }
        if (answer.revokedAt() != null) {
            parts.add("revoked at " + answer.revokedAt());
        }
        if (answer.revocationReason() != null) {
            parts.add("reason " + answer.revocationReason());
        }
        if (answer.reason() != null) {
            parts.add("no answer: " + answer.reason());
        }
        return String.join(", ", parts);
    }
}
