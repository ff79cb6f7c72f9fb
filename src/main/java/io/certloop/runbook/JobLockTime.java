package io.certloop.runbook;

import io.certloop.system.StepBound;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Jobs never run twice at once: the job lock ({@code camunda.bpm.job-execution.lock-time-in-millis}) must outlast
 * the slowest step CertLoop's configuration allows (every {@link StepBound}: deploy and reload, ACME, mail) plus
 * {@link #MARGIN}. A shorter configured lock would let the job executor take a still-running job again (another
 * node, or another thread of this one) and run its reload twice; at start-up it is raised to that bound, with a
 * warning naming the step, before any job is acquired. A longer one is kept: it only delays the takeover of the
 * jobs of a node that died.
 */
@Component
class JobLockTime extends AbstractProcessEnginePlugin {

    /** Beyond the slowest step: writing the step's evidence, committing, and the kill and drain of a reload. */
    static final Duration MARGIN = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(JobLockTime.class);

    private final List<StepBound> steps;

    JobLockTime(List<StepBound> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The shortest job lock that outlasts every step. */
    static Duration required(List<StepBound> steps) {
        return steps.stream()
                .map(StepBound::longest)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO)
                .plus(MARGIN);
    }

    /** The lock to use: the configured one, or the required one when the configured is shorter. */
    static long lockTimeMillis(long configured, List<StepBound> steps) {
        return Math.max(configured, required(steps).toMillis());
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        JobExecutor executor = configuration.getJobExecutor();
        if (executor == null) {
            return;
        }
        long configured = executor.getLockTimeInMillis();
        long lock = lockTimeMillis(configured, steps);
        if (lock != configured) {
            StepBound slowest =
                    steps.stream().max(Comparator.comparing(StepBound::longest)).orElseThrow();
            log.warn(
                    "camunda.bpm.job-execution.lock-time-in-millis={} is shorter than the slowest step, {} = {} s,"
                            + " plus {} s: raised to {} so no job runs twice at once",
                    configured,
                    slowest.step(),
                    slowest.longest().toSeconds(),
                    MARGIN.toSeconds(),
                    lock);
            executor.setLockTimeInMillis((int) lock);
        }
    }
}
