package io.certloop.runbook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.pvm.runtime.ActivityInstanceState;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * {@code certloop_runbook_step_duration_seconds{runbook, step, type, outcome}}: how long each runbook
 * step took, from the engine's history (published as Spring events by the starter). Counted once the
 * step's transaction commits, so a job that fails and is retried counts only when it finally completes.
 * Steps are tasks, call activities and sub-processes (a user task's duration is the people's time);
 * events and gateways take no time worth a series. Labels come from the BPMN files, so their number is
 * bounded by the models.
 */
@Component
class RunbookStepMetrics {

    static final String STEP_DURATION = "certloop.runbook.step.duration";

    /** From a fast service task to a review that waits days. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(4),
        Duration.ofDays(1),
        Duration.ofDays(7)
    };

    private final MeterRegistry registry;

    RunbookStepMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void activityEnded(HistoricActivityInstanceEventEntity event) {
        if (!HistoryEventTypes.ACTIVITY_INSTANCE_END.getEventName().equals(event.getEventType())
                || event.getDurationInMillis() == null
                || !isStep(event.getActivityType())) {
            return;
        }
        boolean canceled = event.getActivityInstanceState() == ActivityInstanceState.CANCELED.getStateCode();
        Timer.builder(STEP_DURATION)
                .tag("runbook", String.valueOf(event.getProcessDefinitionKey()))
                .tag("step", String.valueOf(event.getActivityId()))
                .tag("type", event.getActivityType())
                .tag("outcome", canceled ? "canceled" : "completed")
                .description("Time a runbook step took, from start to end (user tasks: until a person completed them)")
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofMillis(event.getDurationInMillis()));
    }

    private static boolean isStep(String activityType) {
        return activityType != null
                && (activityType.endsWith("Task")
                        || activityType.equals("callActivity")
                        || activityType.equals("subProcess"));
    }
}
