package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N deployments sharing one reload action, all at once, against a reload command that itself detects a
 * second copy of itself running and a write in progress (exit 3 and 4): the command is real, the
 * concurrency is real threads.
 */
class SharedReloadsTest {

    private static final int DEPLOYMENTS = 12;

    @TempDir
    Path dir;

    private Path writing;
    private Path runs;
    private ReloadActions actions;

    @BeforeEach
    void setUp() throws IOException {
        writing = Files.createDirectories(dir.resolve("writing"));
        runs = dir.resolve("runs");
        Path script = dir.resolve("reload.sh");
        Files.writeString(script, """
                #!/bin/sh
                mkdir %1$s/running 2>/dev/null || { echo "another reload is running"; exit 3; }
                if [ -n "$(ls %2$s)" ]; then echo "files are being written"; rmdir %1$s/running; exit 4; fi
                echo run >> %3$s
                sleep 0.2
                rmdir %1$s/running
                """.formatted(dir, writing, runs));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        actions = new ReloadActions(
                Map.of("shared", script.toString()), Duration.ofSeconds(10), 1024, "/usr/bin:/bin", Clock.systemUTC());
    }

    @Test
    void concurrent_deployments_of_one_action_cause_fewer_reloads_than_deployments_and_never_two_at_once()
            throws Exception {
        List<Written> done = deployAllAtOnce(name -> actions.shared().afterWriting("shared", () -> write(name)));

        int reloads = Files.readAllLines(runs).size();
        assertThat(done)
                .allSatisfy(d -> assertThat(d.reload().succeeded())
                        .as("exit %s: %s", d.reload().exitCode(), d.reload().output())
                        .isTrue());
        assertThat(reloads)
                .as("reload runs for %d deployments", DEPLOYMENTS)
                .isLessThan(DEPLOYMENTS)
                .isPositive();
        Set<ReloadResult> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        done.forEach(d -> distinct.add(d.reload()));
        assertThat(distinct).hasSize(reloads);
        assertThat(distinct.stream().mapToInt(ReloadResult::served).sum())
                .as("every deployment is served by exactly one run")
                .isEqualTo(DEPLOYMENTS);
        assertThat(done)
                .allSatisfy(d -> assertThat(d.writtenAt())
                        .as("the run that served a deployment started after its files were written")
                        .isBeforeOrEqualTo(d.reload().startedAt()));
    }

    @Test
    void the_same_reload_command_run_directly_and_concurrently_overlaps_which_is_what_the_script_detects()
            throws Exception {
        List<Written> done = deployAllAtOnce(name -> {
            Instant writtenAt = Instant.now();
            return new SharedReloads.Reloaded<>(writtenAt, actions.run("shared"));
        });

        assertThat(done).anySatisfy(d -> assertThat(d.reload().exitCode()).isEqualTo(3));
    }

    @Test
    void a_reload_never_starts_while_files_are_being_written() throws Exception {
        // a slow writer holds its files half-written for 500 ms; a reload asked for meanwhile must wait for it
        CountDownLatch slowStarted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SharedReloads.Reloaded<Instant>> slow =
                    pool.submit(() -> actions.shared().afterWriting("shared", () -> {
                        slowStarted.countDown();
                        sleep(500);
                        return write("slow");
                    }));
            assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
            Future<SharedReloads.Reloaded<Instant>> fast =
                    pool.submit(() -> actions.shared().afterWriting("shared", () -> write("fast")));

            assertThat(fast.get(10, TimeUnit.SECONDS).reload().succeeded()).isTrue();
            assertThat(slow.get(10, TimeUnit.SECONDS).reload().succeeded()).isTrue();
            assertThat(fast.get().reload().startedAt())
                    .isAfterOrEqualTo(slow.get().written());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void an_unknown_action_is_refused_before_anything_is_written() {
        assertThatThrownBy(() -> actions.shared().afterWriting("missing", () -> {
                    throw new AssertionError("nothing may be written for an unknown action");
                }))
                .isInstanceOf(DeploymentException.UnknownReloadAction.class);
    }

    @Test
    void a_failed_run_is_the_evidence_of_every_deployment_it_served() throws Exception {
        ReloadActions missing = new ReloadActions(
                Map.of("bad", "/bin/ls " + dir.resolve("absent")),
                Duration.ofSeconds(5),
                1024,
                "/usr/bin:/bin",
                Clock.systemUTC());

        List<Written> done = deployAllAtOnce(name -> missing.shared().afterWriting("bad", () -> Instant.now()));

        assertThat(done).allSatisfy(d -> assertThat(d.reload().succeeded()).isFalse());
    }

    private record Written(Instant writtenAt, ReloadResult reload) {}

    private interface Deployment {
        SharedReloads.Reloaded<Instant> run(String name) throws Exception;
    }

    private List<Written> deployAllAtOnce(Deployment deployment) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(DEPLOYMENTS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<SharedReloads.Reloaded<Instant>>> futures = new ArrayList<>();
            for (int i = 0; i < DEPLOYMENTS; i++) {
                String name = "site-" + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return deployment.run(name);
                }));
            }
            go.countDown();
            List<Written> done = new ArrayList<>();
            for (Future<SharedReloads.Reloaded<Instant>> future : futures) {
                SharedReloads.Reloaded<Instant> reloaded = future.get(60, TimeUnit.SECONDS);
                done.add(new Written(reloaded.written(), reloaded.reload()));
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Half-written files for a moment (the marker the reload command refuses), then done. */
    private Instant write(String name) {
        Path marker = writing.resolve(name);
        try {
            Files.createFile(marker);
            sleep(30);
            Files.delete(marker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Instant.now();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
