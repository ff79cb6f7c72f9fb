package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.system.StepBound;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.junit.jupiter.api.Test;

/** The job lock outlasts the slowest step the configuration allows, whatever was configured. */
class JobLockTimeTest {

    /** The shipped defaults: reload-timeout 30 s and answer-timeout 10 s; ACME request-timeout 15 s. */
    static final List<StepBound> SHIPPED = List.of(
            step("deploy and reload", Duration.ofSeconds(2 * 30 + 10)),
            step("ACME issuance", Duration.ofSeconds(4 * 15)),
            step("mail", Duration.ofSeconds(15)));

    static StepBound step(String name, Duration longest) {
        return new StepBound() {
            @Override
            public String step() {
                return name;
            }

            @Override
            public Duration longest() {
                return longest;
            }
        };
    }

    @Test
    void theLockMustOutlastTheSlowestStepPlusTheMargin() {
        assertThat(JobLockTime.required(SHIPPED)).isEqualTo(Duration.ofSeconds(80));
        assertThat(JobLockTime.required(List.of())).isEqualTo(JobLockTime.MARGIN);
    }

    @Test
    void theShippedLockOfTwoMinutesIsKept() {
        assertThat(JobLockTime.lockTimeMillis(120_000, SHIPPED)).isEqualTo(120_000);
    }

    @Test
    void aLockShorterThanTheSlowestStepIsRaisedBeforeAnyJobIsAcquired() {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        DefaultJobExecutor executor = new DefaultJobExecutor();
        executor.setLockTimeInMillis(3_000);
        configuration.setJobExecutor(executor);

        new JobLockTime(SHIPPED).postInit(configuration);

        assertThat(executor.getLockTimeInMillis()).isEqualTo(80_000);
    }

    @Test
    void aLongerReloadTimeoutRaisesTheRequiredLock() {
        List<StepBound> slowReloads =
                List.of(step("deploy and reload", Duration.ofMinutes(2).multipliedBy(2)));
        assertThat(JobLockTime.lockTimeMillis(120_000, slowReloads)).isEqualTo(250_000);
    }
}
