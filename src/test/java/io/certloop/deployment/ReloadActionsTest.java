package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.support.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadActionsTest {

    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private static ReloadActions actions(Map<String, String> configured, Duration timeout, int maxOutput) {
        return new ReloadActions(configured, timeout, maxOutput, PATH, Clock.systemUTC());
    }

    @Test
    void lists_only_the_configured_names_and_refuses_others() {
        ReloadActions actions = actions(Map.of("web", "/bin/true", "api", "/bin/true"), Duration.ofSeconds(5), 1024);

        assertThat(actions.names()).containsExactlyInAnyOrder("web", "api");
        assertThat(actions.exists("web")).isTrue();
        assertThat(actions.exists("nginx -s reload")).isFalse();
        assertThat(actions.exists(null)).isFalse();
        assertThatThrownBy(() -> actions.run("missing"))
                .isInstanceOf(DeploymentException.UnknownReloadAction.class)
                .hasMessageContaining("'missing'");
    }

    @Test
    void runs_the_command_without_a_shell_so_metacharacters_stay_literal() {
        ReloadActions actions = actions(Map.of("echo", "/bin/echo $HOME;id  `id` |cat"), Duration.ofSeconds(5), 1024);

        ReloadResult result = actions.run("echo");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.command()).containsExactly("/bin/echo", "$HOME;id", "`id`", "|cat");
        assertThat(result.output()).isEqualTo("$HOME;id `id` |cat\n");
    }

    @Test
    void gives_the_child_no_environment_but_path_and_lang() {
        ReloadActions actions = actions(Map.of("env", "/usr/bin/env"), Duration.ofSeconds(5), 4096);

        ReloadResult result = actions.run("env");

        assertThat(result.output().lines()).containsExactlyInAnyOrder("PATH=" + PATH, "LANG=C.UTF-8");
    }

    @Test
    void reports_a_non_zero_exit_with_its_output() {
        ReloadActions actions = actions(Map.of("bad", "/bin/ls /definitely/not/here"), Duration.ofSeconds(5), 1024);

        ReloadResult result = actions.run("bad");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("/definitely/not/here");
    }

    @Test
    void kills_the_whole_process_tree_when_the_timeout_passes(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("tree.sh");
        Path childPid = dir.resolve("child.pid");
        Files.writeString(script, "sleep 300 &\necho $! > " + childPid + "\necho started\nwait\n");
        ReloadActions actions = actions(Map.of("hang", "/bin/sh " + script), Duration.ofMillis(700), 1024);

        ReloadResult result = actions.run("hang");

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isNull();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
        assertThat(result.output()).contains("started");
        long pid = Long.parseLong(Files.readString(childPid).trim());
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("grandchild sleep")
                .isNotEqualTo(Optional.of(true));
    }

    @Test
    void keeps_only_the_first_bytes_of_long_output_but_drains_all_of_it() {
        // seq writes ~590 KB, far more than a pipe holds: if output were not drained, it would block and time out
        ReloadActions actions = actions(Map.of("chatty", "/usr/bin/seq 1 100000"), Duration.ofSeconds(10), 300);

        ReloadResult result = actions.run("chatty");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputTruncated()).isTrue();
        assertThat(result.output()).hasSize(300).startsWith("1\n2\n3\n");
    }

    /**
     * A server killed mid-reload leaves its reload running; the next server (another instance over the same lock
     * directory, as after a restart) must wait for it, not reload alongside it. The lock is held by the child's own
     * flock process, so it is the same whether the first run's server is alive or dead.
     */
    @Test
    void a_run_left_by_another_server_holds_the_action_and_the_next_run_waits_for_it(@TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("runs.log");
        Path script = dir.resolve("slow.sh");
        Files.writeString(
                script,
                "echo \"start $(date +%s%N)\" >> " + log + "\nsleep 1.5\necho \"end $(date +%s%N)\" >> " + log + "\n");
        Map<String, String> configured = Map.of("slow", "/bin/sh " + script);
        CompletableFuture<ReloadResult> left = leftRunning(configured, "slow", dir, log);
        ReloadResult next = guarded(configured, Duration.ofSeconds(10), dir.resolve("locks"))
                .run("slow");

        assertThat(left.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(next.succeeded()).isTrue();
        assertThat(next.command())
                .as("the evidence names the configured command")
                .containsExactly("/bin/sh", script.toString());
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(4);
        assertThat(lines.stream().map(l -> l.split(" ")[0]).toList())
                .as("the runs never overlap: %s", lines)
                .containsExactly("start", "end", "start", "end");
    }

    @Test
    void a_run_waiting_for_a_left_run_longer_than_its_timeout_times_out(@TempDir Path dir) throws Exception {
        Path started = dir.resolve("started");
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "touch " + started + "\nsleep 3\n");
        Map<String, String> configured = Map.of("hang", "/bin/sh " + script);
        CompletableFuture<ReloadResult> left = leftRunning(configured, "hang", dir, started);
        Files.delete(started);
        ReloadResult next = guarded(configured, Duration.ofMillis(700), dir.resolve("locks"))
                .run("hang");

        assertThat(next.timedOut()).as("bounded by its own reload timeout").isTrue();
        assertThat(started).as("the waiting run never started its command").doesNotExist();
        assertThat(left.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void a_guarded_run_gives_the_child_the_same_environment(@TempDir Path dir) {
        ReloadActions actions = guarded(Map.of("env", "/usr/bin/env"), Duration.ofSeconds(5), dir.resolve("locks"));

        ReloadResult result = actions.run("env");

        assertThat(result.output().lines()).containsExactlyInAnyOrder("PATH=" + PATH, "LANG=C.UTF-8");
        assertThat(dir.resolve("locks").resolve("env.lock")).exists();
    }

    /** A run of the action by another instance over the same locks, once it has left {@code sign}. */
    private static CompletableFuture<ReloadResult> leftRunning(
            Map<String, String> configured, String action, Path dir, Path sign) throws InterruptedException {
        ReloadActions before = guarded(configured, Duration.ofSeconds(10), dir.resolve("locks"));
        CompletableFuture<ReloadResult> left = CompletableFuture.supplyAsync(() -> before.run(action));
        Await.until(Duration.ofSeconds(10), () -> Files.exists(sign) ? Boolean.TRUE : null);
        return left;
    }

    private static ReloadActions guarded(Map<String, String> configured, Duration timeout, Path locks) {
        return new ReloadActions(configured, timeout, 4096, PATH, Clock.systemUTC(), locks);
    }

    @Test
    void refuses_blank_commands_and_odd_names_at_startup() {
        assertThatThrownBy(() -> actions(Map.of("web", "  "), Duration.ofSeconds(1), 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty command");
        assertThatThrownBy(() -> actions(Map.of("we b", "/bin/true"), Duration.ofSeconds(1), 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid reload action name");
    }
}
