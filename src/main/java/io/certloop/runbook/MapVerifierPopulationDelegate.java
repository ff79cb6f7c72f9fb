package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.VerifierPopulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Revocation propagation step 2: the verifier population, every inventory endpoint whose latest probe presents the
 * revoked certificate or the same public key (SPKI SHA-256), listed on the incident with why, and the plan a
 * commander approves: every such endpoint in that order, and who hears of it (owners and partner contacts).
 */
@Component("mapVerifierPopulationDelegate")
class MapVerifierPopulationDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final OwnerNotifications notifications;

    MapVerifierPopulationDelegate(
            RemediationService remediation, IncidentLog incidents, OwnerNotifications notifications) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.notifications = notifications;
    }

    @Override
    void run(DelegateExecution execution) {
        VerifierPopulation population = remediation.verifierPopulation(
                endpointOfIncident(execution, incidents),
                string(execution, PRESENTED_SHA256),
                string(execution, PRESENTED_SPKI_SHA256));
        List<String> endpoints = population.endpoints();
        execution.setVariable(AFFECTED_ENDPOINTS, RunbookLists.join(endpoints));
        execution.setVariable(REPLACEMENT_ORDER, RunbookLists.join(endpoints));
        execution.setVariable(ENDPOINTS_NEEDING_HANDS, "");
        StringBuilder text = new StringBuilder();
        StringBuilder recipients = new StringBuilder();
        List<Map<String, Object>> listed = new java.util.ArrayList<>();
        for (VerifierPopulation.Affected affected : population.affected()) {
            text.append(affected.endpoint())
                    .append(": ")
                    .append(affected.why())
                    .append(" (")
                    .append(affected.detail())
                    .append(")\n");
            List<String> contacts = notifications.planRecipients(affected.endpoint());
            recipients
                    .append(affected.endpoint())
                    .append(": ")
                    .append(contacts.isEmpty() ? "nobody known (the fallback recipients)" : String.join(", ", contacts))
                    .append('\n');
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("endpoint", affected.endpoint());
            entry.put("why", affected.why());
            entry.put("presentedSha256", affected.presentedSha256());
            entry.put("detail", affected.detail());
            entry.put("recipients", contacts);
            listed.add(entry);
        }
        execution.setVariable(VERIFIER_POPULATION, text.toString().strip());
        execution.setVariable(PLAN_RECIPIENTS, recipients.toString().strip());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("sha256", String.valueOf(population.sha256()));
        detail.put("spkiSha256", String.valueOf(population.spkiSha256()));
        detail.put("endpoints", listed);
        incidents.record(incidentId(execution), TimelineTypes.VERIFIER_POPULATION_MAPPED, detail);
    }
}
