package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.PostgresIntegrationTest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two nodes on one PostgreSQL: each has its own {@link DetectionLock} on the shared database, as two server JVMs
 * would. While one runs a detection cycle the other's is skipped, and a cycle that keeps the lock for most of the
 * interval keeps the other node from probing everything again right after.
 */
class DetectionLockIT extends PostgresIntegrationTest {

    @Autowired
    private DataSource dataSource;

    @Autowired
    private Clock clock;

    @Autowired
    private DetectionLoop detection;

    @Test
    void whileOneNodeRunsACycleTheOtherSkipsIncludingTheServersOwnLoop() throws Exception {
        DetectionLock nodeA = new DetectionLock(dataSource, clock);
        DetectionLock nodeB = new DetectionLock(dataSource, clock);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<String>> cycleA =
                CompletableFuture.supplyAsync(() -> nodeA.runExclusively(Duration.ZERO, () -> {
                    started.countDown();
                    await(release);
                    return "A";
                }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicInteger ranOnB = new AtomicInteger();
        assertThat(nodeB.runExclusively(Duration.ZERO, ranOnB::incrementAndGet)).isEmpty();
        assertThat(detection.runOnce()).isEqualTo(DetectionLoop.CycleResult.SKIPPED);
        assertThat(ranOnB).hasValue(0);

        release.countDown();
        assertThat(cycleA.get(10, TimeUnit.SECONDS)).contains("A");
        assertThat(nodeB.runExclusively(Duration.ZERO, ranOnB::incrementAndGet)).contains(1);
    }

    @Test
    void aScheduledCycleKeepsTheLockForMostOfTheIntervalThenTheOtherNodeRuns() throws Exception {
        DetectionLock nodeA = new DetectionLock(dataSource, clock);
        DetectionLock nodeB = new DetectionLock(dataSource, clock);

        assertThat(nodeA.runExclusively(Duration.ofSeconds(2), () -> "A")).contains("A");
        assertThat(nodeB.runExclusively(Duration.ZERO, () -> "B"))
                .as("right after A's cycle")
                .isEmpty();

        Thread.sleep(2_500);
        assertThat(nodeB.runExclusively(Duration.ZERO, () -> "B"))
                .as("after A's hold ended")
                .contains("B");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
