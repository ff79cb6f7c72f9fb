package io.certloop.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CertLoop server as an operating-system process of its own (the test's class path, a fresh JVM), for tests that
 * kill it with SIGKILL and start it again on the same data, or run two of them on one database. Each start writes
 * {@code <name>.log} next to its data directory; a server that does not come up fails with the head of every log.
 */
public final class ServerProcess implements AutoCloseable {

    private final Path logs;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final List<String> names = new ArrayList<>();
    private Process process;

    private ServerProcess(Path logs, int port, List<String> command, Map<String, String> environment) {
        this.logs = logs;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /**
     * The embedded default (no profile: H2 under {@code dataDir}, as {@code bin/run} starts it) on a free port, the
     * demo and detection off, probes allowed on loopback, deployments allowed in {@code deployDir}.
     */
    public static ServerProcess onH2(Path dataDir, Path deployDir, String adminPassword, String... arguments) {
        return server(dataDir, deployDir, adminPassword, List.of(), arguments);
    }

    /** As {@link #onH2}, on the PostgreSQL database {@code url} with the {@code postgres} profile. */
    public static ServerProcess onPostgres(
            String url, Path dataDir, Path deployDir, String adminPassword, String... arguments) {
        return server(
                dataDir,
                deployDir,
                adminPassword,
                List.of(
                        "--spring.profiles.active=postgres",
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=" + PostgresTestDatabase.USER,
                        "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD),
                arguments);
    }

    /**
     * An agent (profile {@code agent}: {@code agent.AgentApplication}) on a target host: it polls the server at
     * {@code serverUrl} as {@code user} for the steps of {@code group}, keeps its keys under {@code dataDir} and
     * writes deployments only in {@code deployDir}. Its credentials come from the environment, as in production.
     * It serves no HTTP: start it, do not await it.
     */
    public static ServerProcess agent(
            String serverUrl,
            String user,
            String password,
            String group,
            Path dataDir,
            Path deployDir,
            String... arguments) {
        List<String> command = java();
        command.addAll(List.of(
                "--certloop.agent.server-url=" + serverUrl,
                "--certloop.agent.group=" + group,
                "--certloop.data-dir=" + dataDir,
                "--certloop.deployment.allowed-directories=" + deployDir));
        command.addAll(List.of(arguments));
        return new ServerProcess(
                dataDir.getParent(),
                0,
                command,
                Map.of(
                        "SPRING_PROFILES_ACTIVE", "agent",
                        "CERTLOOP_AGENT_USERNAME", user,
                        "CERTLOOP_AGENT_PASSWORD", password));
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                "io.certloop.CertLoopApplication"));
    }

    private static ServerProcess server(
            Path dataDir, Path deployDir, String adminPassword, List<String> database, String... arguments) {
        int port = PebbleServer.freePort();
        List<String> command = java();
        command.addAll(database);
        command.addAll(List.of(
                "--server.port=" + port,
                "--certloop.data-dir=" + dataDir,
                "--certloop.deployment.allowed-directories=" + deployDir,
                "--certloop.admin.password=" + adminPassword,
                "--certloop.demo.enabled=false",
                "--certloop.probe.allowlist=127.0.0.0/8",
                "--certloop.probe.detection.enabled=false"));
        command.addAll(List.of(arguments));
        return new ServerProcess(dataDir.getParent(), port, command, Map.of());
    }

    /**
     * The same server with these arguments instead of those of the same name (Spring joins a repeated option's values
     * with commas), e.g. detection switched back on.
     */
    public ServerProcess with(String... arguments) {
        List<String> more = new ArrayList<>(command);
        for (String argument : arguments) {
            String name = argument.substring(0, argument.indexOf('=') + 1);
            more.removeIf(a -> a.startsWith(name));
            more.add(argument);
        }
        return new ServerProcess(logs, port, more, environment);
    }

    /** The same server on another free port (a second node on the same database). */
    public ServerProcess onAnotherPort() {
        int other = PebbleServer.freePort();
        List<String> moved = command.stream()
                .map(a -> a.startsWith("--server.port=") ? "--server.port=" + other : a)
                .toList();
        return new ServerProcess(logs, other, moved, environment);
    }

    public int port() {
        return port;
    }

    /** Starts the process, its output to {@code <name>.log}; does not wait for it. */
    public ServerProcess start(String name) throws Exception {
        return start(name, List.of());
    }

    /**
     * As {@link #start(String)}, this start only with these options for the JVM (e.g. a debugger's agent, see
     * {@link JdwpBreakpoint#agent}).
     */
    public ServerProcess start(String name, List<String> jvmOptions) throws Exception {
        if (isRunning()) {
            throw new IllegalStateException("already running");
        }
        names.add(name);
        Files.createDirectories(logs);
        List<String> line = new ArrayList<>(command);
        line.addAll(1, jvmOptions);
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** Starts the process and waits until its health answers 200. */
    public ServerProcess startAndAwait(String name) throws Exception {
        start(name);
        awaitUp();
        return this;
    }

    /** Waits (at most two minutes) until {@code /actuator/health} answers 200; fails with the logs otherwise. */
    public void awaitUp() throws Exception {
        try {
            Await.until(Duration.ofSeconds(120), () -> {
                if (!isRunning()) {
                    throw new AssertionError("the server process ended");
                }
                try {
                    return ApiClient.anonymous(port).get("/actuator/health").status() == 200 ? Boolean.TRUE : null;
                } catch (RuntimeException notYet) {
                    return null;
                }
            });
        } catch (AssertionError notUp) {
            throw new AssertionError("server did not come up" + logs(), notUp);
        }
    }

    /** SIGTERM: a graceful shutdown, as a service manager stops it. Waits for the end. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    /** SIGKILL: no shutdown hook runs, locks and children are left as a crash leaves them. Waits for the end. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The text of the named start's log. */
    public String log(String name) throws Exception {
        return Files.readString(logs.resolve(name + ".log"));
    }

    /** The head of every log of this server (stack frames left out), for failure messages. */
    public String logs() throws Exception {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            Path log = logs.resolve(name + ".log");
            if (Files.exists(log)) {
                text.append("\n--- ")
                        .append(name)
                        .append(" ---\n")
                        .append(Files.readString(log)
                                .lines()
                                .filter(l -> !l.startsWith("\t"))
                                .limit(80)
                                .collect(Collectors.joining("\n")));
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** The test's class path, each entry once (an entry listed twice would deploy every process twice). */
    public static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return String.join(File.pathSeparator, new LinkedHashSet<>(List.of(path.split(File.pathSeparator))));
    }
}
