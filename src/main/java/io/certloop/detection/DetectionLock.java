package io.certloop.detection;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The detection cycle's lock in the database (ShedLock, table {@code shedlock}): nodes sharing one database take
 * it in turn, so one cycle runs at a time across the fleet. The database's clock decides expiry, so nodes with
 * skewed clocks agree. A node that dies holding it frees it after {@link #HELD_AT_MOST}.
 */
@Component
class DetectionLock {

    static final String NAME = "detection-cycle";

    /** Longest a cycle may hold the lock; a node killed mid-cycle delays the next one by at most this. */
    static final Duration HELD_AT_MOST = Duration.ofMinutes(10);

    private final LockingTaskExecutor executor;
    private final Clock clock;

    DetectionLock(DataSource dataSource, Clock clock) {
        this.executor = new DefaultLockingTaskExecutor(
                new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(dataSource))
                        .usingDbTime()
                        .build()));
        this.clock = clock;
    }

    /**
     * Runs the cycle if no node holds the lock, keeping it at least {@code heldAtLeast} after the cycle ends (so
     * another node whose timer fires a moment later does not probe everything again); empty when another node
     * holds it.
     */
    <T> Optional<T> runExclusively(Duration heldAtLeast, Supplier<T> cycle) {
        LockConfiguration configuration =
                new LockConfiguration(clock.instant(), NAME, max(HELD_AT_MOST, heldAtLeast), heldAtLeast);
        try {
            LockingTaskExecutor.TaskResult<T> result = executor.executeWithLock(cycle::get, configuration);
            return result.wasExecuted() ? Optional.ofNullable(result.getResult()) : Optional.empty();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
