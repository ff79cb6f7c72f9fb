package io.certloop.runbook;

import java.time.Clock;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;

/** Puts the incident, endpoint and process instance into the log context for the step's duration. */
abstract class RunbookDelegate implements JavaDelegate {

    private Clock clock = Clock.systemUTC();

    /** The application's clock (process tests pass a fixed or moving one), so recorded times can be moved. */
    @Autowired
    final void useClock(Clock clock) {
        this.clock = clock;
    }

    final Instant now() {
        return clock.instant();
    }

    @Override
    public final void execute(DelegateExecution execution) throws Exception {
        MDC.put("incident", String.valueOf(execution.getProcessBusinessKey()));
        // log context only: the steps themselves take the endpoint from the incident record (RunbookRecords)
        MDC.put("endpoint", String.valueOf(execution.getVariable(RunbookVariables.ENDPOINT)));
        MDC.put("processInstance", execution.getProcessInstanceId());
        try {
            run(execution);
        } finally {
            MDC.remove("incident");
            MDC.remove("endpoint");
            MDC.remove("processInstance");
        }
    }

    abstract void run(DelegateExecution execution) throws Exception;

    static String incidentId(DelegateExecution execution) {
        return execution.getProcessBusinessKey();
    }

    /**
     * What deployment attempts are named after: the incident id, unless the process names its own key
     * ({@code deploymentKey}: break-glass deploys beside the incident's runbook and must not reuse its ids).
     */
    static String deploymentKey(DelegateExecution execution) {
        Object key = execution.getVariable(RunbookVariables.DEPLOYMENT_KEY);
        return key == null ? incidentId(execution) : key.toString();
    }

    /** The endpoint variable; steps that gate on it read the incident record instead (RunbookRecords). */
    static String endpoint(DelegateExecution execution) {
        return (String) execution.getVariable(RunbookVariables.ENDPOINT);
    }

    /**
     * The endpoint from the incident record; a process about another record (an exception review) has no incident
     * as its business key and names its endpoint in the variables CertLoop started it with.
     */
    static String endpointOfRecord(DelegateExecution execution, IncidentLog incidents) {
        String incidentId = incidentId(execution);
        return incidents.exists(incidentId) ? incidents.endpointOf(incidentId) : endpoint(execution);
    }

    static int intVariable(DelegateExecution execution, String name) {
        Object value = execution.getVariable(name);
        return value instanceof Number n ? n.intValue() : 0;
    }

    static String string(DelegateExecution execution, String name) {
        Object value = execution.getVariable(name);
        return value == null ? null : value.toString();
    }
}
