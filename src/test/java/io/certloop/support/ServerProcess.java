package io.certloop.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A CertLoop server in a JVM of its own (so a test can SIGKILL it), on a test PostgreSQL database, its output in
 * {@code <dir>/<name>.log}. Detection is off, loopback may be probed, deployments may write under {@code certs}.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The command line of a server on {@code database}, port {@code port}, data under {@code data}, and more. */
    public static List<String> onPostgres(
            String database, int port, Path data, Path certs, String adminPassword, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                "io.certloop.CertLoopApplication",
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                "--server.port=" + port,
                "--certloop.data-dir=" + data,
                "--certloop.deployment.allowed-directories=" + certs,
                "--certloop.admin.password=" + adminPassword,
                "--certloop.probe.allowlist=127.0.0.0/8",
                "--certloop.probe.detection.enabled=false"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Starts the server and waits until its health answers 200 (failing with the start of its log). */
    public static ServerProcess start(List<String> command, Path dir, String name, int port) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(process, log);
        try {
            Await.until(Duration.ofSeconds(90), () -> {
                try {
                    return ApiClient.anonymous(port).get("/actuator/health").status() == 200 ? Boolean.TRUE : null;
                } catch (RuntimeException notYet) {
                    return null;
                }
            });
        } catch (AssertionError notUp) {
            server.close();
            throw new AssertionError("server " + name + " did not come up:\n" + server.logStart(), notUp);
        }
        return server;
    }

    /** SIGKILL: no shutdown hook runs, its jobs stay locked until their lock expires. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String logText() throws java.io.IOException {
        return Files.readString(log);
    }

    private String logStart() {
        try {
            return logText().lines().filter(l -> !l.startsWith("\t")).limit(80).collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        // an entry listed twice would deploy every process twice
        return String.join(File.pathSeparator, new LinkedHashSet<>(List.of(path.split(File.pathSeparator))));
    }
}
