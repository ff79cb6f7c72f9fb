package io.certloop.deployment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reload actions this server is configured with, and the only way to run one. Commands come
 * from {@code certloop.deployment.reload-actions.<name>} and are split on whitespace and executed
 * directly (no shell), with an empty environment apart from {@code PATH} and {@code LANG} so that
 * secrets such as {@code CERTLOOP_MASTER_KEY} never reach the child. Everything outside server
 * configuration refers to an action by name; the inventory validator uses {@link #exists(String)}
 * to refuse names that are not configured.
 *
 * <p><b>A reload outlives the server that started it.</b> When the JVM is killed (SIGKILL, OOM killer) its reload
 * child keeps running, and nothing in the dead JVM bounds or awaits it any more. With a lock directory every run is
 * therefore started as {@code flock -o <lock-dir>/<action>.lock timeout -k 1 <reload-timeout + 2 s> <command>}:
 * the lock is held by the child's own {@code flock} process (not by the JVM, whose locks die with it), so a run
 * left behind by a killed server still holds it and the next run of that action, by any server on this machine,
 * waits for it (within its own reload timeout) instead of racing it; and {@code timeout} ends a left-behind run
 * that hangs, as the living server would have. {@code -o}: the command does not inherit the lock, so a daemon
 * it starts cannot keep it. Without {@code flock} and {@code timeout} on the reload {@code PATH} the guard is off
 * (logged once at start-up).
 */
public class ReloadActions {

    private static final Logger log = LoggerFactory.getLogger(ReloadActions.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration OUTPUT_DRAIN_WAIT = Duration.ofSeconds(2);
    /** A left-behind run bounds itself a little later than the living server would, so the server's bound wins. */
    private static final Duration SELF_BOUND_MARGIN = Duration.ofSeconds(2);

    private final Map<String, List<String>> commands;
    private final Duration timeout;
    private final int maxOutputBytes;
    private final String path;
    private final Clock clock;
    /** {@code flock} and {@code timeout} and the directory of the lock files; empty: runs are not guarded. */
    private final Optional<Guard> guard;

    private final SharedReloads shared = new SharedReloads(this);

    /** Unguarded: for callers that own the only server on this machine for the lifetime of the runs (tests). */
    ReloadActions(Map<String, String> configured, Duration timeout, int maxOutputBytes, String path, Clock clock) {
        this(configured, timeout, maxOutputBytes, path, clock, null);
    }

    /**
     * @param lockDirectory where the per-action lock files live (created if missing); null: runs are not guarded
     */
    ReloadActions(
            Map<String, String> configured,
            Duration timeout,
            int maxOutputBytes,
            String path,
            Clock clock,
            Path lockDirectory) {
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        configured.forEach((name, line) -> parsed.put(validName(name), split(name, line)));
        this.commands = Map.copyOf(parsed);
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
        this.path = path;
        this.clock = clock;
        this.guard = lockDirectory == null ? Optional.empty() : Guard.find(path, lockDirectory);
    }

    ReloadActions(DeploymentProperties properties, Clock clock) {
        this(
                properties.reloadActions(),
                properties.reloadTimeout(),
                properties.maxOutputBytes(),
                properties.reloadPath(),
                clock,
                properties.stateDirectory().resolve("reload-locks"));
    }

    /** The configured action names. */
    public Set<String> names() {
        return commands.keySet();
    }

    /** The way deployments run these actions: serialized and coalesced per action, never during a write. */
    SharedReloads shared() {
        return shared;
    }

    /** Whether an action with this name is configured. */
    public boolean exists(String name) {
        return name != null && commands.containsKey(name);
    }

    /**
     * Runs the named action and waits for it (deployments go through {@link #shared()} instead), at most the configured timeout; on timeout the whole
     * process tree is killed. A non-zero exit or a timeout is returned, not thrown: it is evidence.
     *
     * @throws DeploymentException.UnknownReloadAction if the name is not configured
     * @throws DeploymentException.Storage if the process cannot be started at all
     */
    public ReloadResult run(String name) {
        List<String> command = commands.get(name);
        if (command == null) {
            throw new DeploymentException.UnknownReloadAction(name);
        }
        ProcessBuilder builder = new ProcessBuilder(
                        guard.map(g -> g.wrap(name, command, timeout.plus(SELF_BOUND_MARGIN)))
                                .orElse(command))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("LANG", "C.UTF-8");
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DeploymentException.Storage("reload action '" + name + "' could not be started", e);
        }
        closeQuietly(process);
        BoundedReader reader = new BoundedReader(process.getInputStream(), maxOutputBytes);
        Thread readerThread = new Thread(reader, "reload-output-" + name);
        readerThread.setDaemon(true);
        readerThread.start();

        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while running reload action '" + name + "'", e);
        }
        if (!finished) {
            killTree(process);
        }
        try {
            readerThread.join(OUTPUT_DRAIN_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        Integer exitCode = finished ? process.exitValue() : null;
        ReloadResult result = new ReloadResult(
                name, command, exitCode, reader.text(), reader.truncated(), startedAt, duration, !finished);
        if (result.succeeded()) {
            log.info("reload action {} succeeded in {} ms", name, duration.toMillis());
        } else {
            log.warn(
                    "reload action {} failed: exitCode={} timedOut={} after {} ms",
                    name,
                    exitCode,
                    !finished,
                    duration.toMillis());
        }
        return result;
    }

    /** Kills the process and every descendant (snapshot taken first: orphans lose their parent link). */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * util-linux {@code flock} and coreutils {@code timeout}, found on the reload {@code PATH}, and the lock directory.
     */
    private record Guard(Path flock, Path timeout, Path lockDirectory) {

        static Optional<Guard> find(String path, Path lockDirectory) {
            Optional<Path> flock = onPath(path, "flock");
            Optional<Path> timeout = onPath(path, "timeout");
            if (flock.isEmpty() || timeout.isEmpty()) {
                log.warn(
                        "flock or timeout not found on the reload PATH {}: a reload left running by a killed server is"
                                + " not waited for by the next run of its action",
                        path);
                return Optional.empty();
            }
            try {
                Files.createDirectories(lockDirectory);
            } catch (IOException e) {
                throw new DeploymentException.Storage("cannot create the reload lock directory " + lockDirectory, e);
            }
            return Optional.of(new Guard(flock.get(), timeout.get(), lockDirectory.toAbsolutePath()));
        }

        private static Optional<Path> onPath(String path, String program) {
            return Arrays.stream(path.split(":"))
                    .filter(directory -> !directory.isBlank())
                    .map(directory -> Path.of(directory, program))
                    .filter(Files::isExecutable)
                    .findFirst();
        }

        /** The command under the action's lock (held by the child's flock, released when it ends), self-bounded. */
        List<String> wrap(String action, List<String> command, Duration selfBound) {
            List<String> wrapped = new ArrayList<>(List.of(
                    flock.toString(),
                    "-o",
                    lockDirectory.resolve(action + ".lock").toString(),
                    timeout.toString(),
                    "-k",
                    "1",
                    String.format(Locale.ROOT, "%.3f", selfBound.toMillis() / 1000.0)));
            wrapped.addAll(command);
            return wrapped;
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("could not close stdin of reload action", e);
        }
    }

    private static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "invalid reload action name '" + name + "': use letters, digits, '.', '_' or '-' (at most 64)");
        }
        return name;
    }

    private static List<String> split(String name, String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("reload action '" + name + "' has an empty command line");
        }
        return Arrays.asList(line.trim().split("\\s+"));
    }

    /** Drains a stream to the end (so the child never blocks on a full pipe), keeping the first bytes. */
    private static final class BoundedReader implements Runnable {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        BoundedReader(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        int room = limit - kept.size();
                        if (room > 0) {
                            kept.write(buffer, 0, Math.min(room, n));
                        }
                        if (n > room) {
                            truncated = true;
                        }
                    }
                }
            } catch (IOException e) {
                // the stream closes when the process tree is killed; what was read is kept
                log.debug("reload output stream closed: {}", e.getMessage());
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
