package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No runbook task carries its own retry cycle (ProcessModelTest); the engine's global
 * failedJobRetryTimeCycle R3/PT5S applies to every failing async step: three retries, five seconds apart.
 */
class FailedJobRetryProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    @AfterEach
    void tearDown() {
        Mocks.reset();
    }

    @Test
    void aFailingAsyncServiceTaskIsRetriedThreeTimesFiveSecondsApart() {
        Mocks.register("failingDelegate", (JavaDelegate) execution -> {
            throw new IllegalStateException("the CA does not answer");
        });
        String deployment = engine.getRepositoryService()
                .createDeployment()
                .addModelInstance(
                        "failing.bpmn",
                        Bpmn.createExecutableProcess("failing")
                                .camundaHistoryTimeToLive(1)
                                .startEvent()
                                .serviceTask("failingStep")
                                .camundaAsyncBefore()
                                .camundaDelegateExpression("${failingDelegate}")
                                .endEvent()
                                .done())
                .deploy()
                .getId();
        try {
            ManagementService management = engine.getManagementService();
            ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("failing");
            for (int expectedRetries = 2; expectedRetries >= 0; expectedRetries--) {
                Job job = management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .singleResult();
                Instant failedAt = Instant.now();
                assertThatThrownBy(() -> management.executeJob(job.getId()))
                        .hasMessageContaining("the CA does not answer");
                Job failed = management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .singleResult();
                assertThat(failed.getRetries()).as("retries left").isEqualTo(expectedRetries);
                if (expectedRetries > 0) {
                    assertThat(failed.getDuedate())
                            .as("a next attempt is scheduled")
                            .isNotNull();
                    assertThat(Duration.between(failedAt, failed.getDuedate().toInstant()))
                            .as("next attempt five seconds later")
                            .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
                }
            }
            assertThat(engine.getRuntimeService()
                            .createIncidentQuery()
                            .processInstanceId(instance.getId())
                            .count())
                    .as("an incident after the third retry")
                    .isEqualTo(1);
        } finally {
            engine.getRepositoryService().deleteDeployment(deployment, true);
        }
    }
}
