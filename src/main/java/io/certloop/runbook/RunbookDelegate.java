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
     * The endpoint the incident record names. A process whose business key names no incident fails here, loudly:
     * no step falls back to an {@code endpoint} variable, which a person could have set.
     */
    static String endpointOfIncident(DelegateExecution execution, IncidentLog incidents) {
        return incidents.endpointOf(incidentId(execution));
    }

    /**
     * Which replacement of a break-glass this step belongs to ({@code emergency} or {@code standard}), from the
     * BPMN input parameter {@code replacementKind} of the activity itself; null in the incident runbooks.
     */
    static String breakGlassKind(DelegateExecution execution) {
        Object kind = execution.getVariableLocal(RunbookVariables.REPLACEMENT_KIND);
        return kind == null ? null : kind.toString();
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
