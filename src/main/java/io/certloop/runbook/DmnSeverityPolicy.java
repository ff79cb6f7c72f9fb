package io.certloop.runbook;

import io.certloop.incident.Severity;
import io.certloop.incident.SeverityPolicy;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Severity from the {@code incident-severity} decision table in {@code processes/}, so the
 * organisation's SLAs are edited (and versioned, and visible in Cockpit) as policy. The latest
 * deployed version decides. The table is evaluated as CertLoop itself, not as the API caller: an
 * operator or the Alertmanager service user needs no engine grant on the decision for an incident
 * to get its severity.
 */
@Component
public class DmnSeverityPolicy implements SeverityPolicy {

    /** Decision key = file stem of {@code processes/incident-severity.dmn}. */
    public static final String DECISION_KEY = "incident-severity";

    private final DecisionService decisions;
    private final IdentityService identity;

    public DmnSeverityPolicy(DecisionService decisions, IdentityService identity) {
        this.decisions = decisions;
        this.identity = identity;
    }

    @Override
    public Severity severityOf(String category, String subcategory, int tier, String environment) {
        Map<String, Object> inputs = Variables.createVariables()
                .putValue("category", category)
                .putValue("subcategory", subcategory)
                .putValue("tier", tier)
                .putValue("environment", environment);
        DmnDecisionTableResult result = AsCertLoop.call(
                identity,
                () -> decisions
                        .evaluateDecisionTableByKey(DECISION_KEY)
                        .variables(inputs)
                        .evaluate());
        DmnDecisionRuleResult row = result.getFirstResult();
        if (row == null) {
            throw new IllegalStateException(
                    "decision " + DECISION_KEY + " has no rule for " + inputs + "; its last row must catch everything");
        }
        return new Severity(
                required(row, "severity"),
                Duration.parse(required(row, "responseSla")),
                Duration.parse(required(row, "updateCadence")),
                Boolean.TRUE.equals(row.get("pageIncidentCommander")),
                optionalDuration(row.get("notifyExecutivesWithin")));
    }

    private static String required(DmnDecisionRuleResult row, String name) {
        Object value = row.get(name);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalStateException("decision " + DECISION_KEY + " gave no " + name);
        }
        return value.toString();
    }

    private static Duration optionalDuration(Object value) {
        return value == null || value.toString().isBlank() ? null : Duration.parse(value.toString());
    }
}
