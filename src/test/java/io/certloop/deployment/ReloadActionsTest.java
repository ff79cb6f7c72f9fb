package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
