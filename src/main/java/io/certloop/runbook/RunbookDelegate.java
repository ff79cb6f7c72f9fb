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

    static String endpoint(DelegateExecution execution) {
        return (String) execution.getVariable(RunbookVariables.ENDPOINT);
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
