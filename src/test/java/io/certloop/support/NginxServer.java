package io.certloop.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a child process of the test JVM, on loopback, with everything (config, pid,
 * logs, temp dirs) inside its own prefix directory and nothing under {@code /var}. Each site is a
 * TLS server on its own free port that reads exactly the certificate and key paths it was given,
 * so a deployment to those paths followed by {@link #reload()} (or by running
 * {@link #reloadCommand()} as a reload action) changes what nginx presents. Many sites fit in one
 * instance, for benchmarks.
 *
 * <pre>{@code
 * try (NginxServer nginx = NginxServer.builder(tempDir.resolve("nginx"))
 *         .site("web", fullchainPath, keyPath)
 *         .start()) {
 *     int port = nginx.port("web");
 *     // certloop.deployment.reload-actions.test-nginx = nginx.reloadCommand()
 * }
 * }</pre>
 */
public final class NginxServer implements AutoCloseable {

    /** Where Debian installs nginx. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/nginx");

    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final Path binary;
    private final Path prefix;
    private final Path config;
    private final Path errorLog;
    private final List<Site> sites;
    private final Duration startTimeout;
    private Map<String, Integer> ports;
    private Process process;
    private Thread shutdownHook;

    /** One TLS server block: nginx reads {@code certificate} (leaf or leaf+chain) and {@code key}. */
    public record Site(String name, Path certificate, Path key) {}

    private NginxServer(Builder builder) {
        this.binary = builder.binary;
        this.prefix = builder.prefix.toAbsolutePath();
        this.config = prefix.resolve("conf/nginx.conf");
        this.errorLog = prefix.resolve("logs/error.log");
        this.sites = List.copyOf(builder.sites);
        this.startTimeout = builder.startTimeout;
    }

    /** Whether the nginx binary is installed, for {@code assumeTrue}. */
    public static boolean available() {
        return Files.isExecutable(DEFAULT_BINARY);
    }

    /** A server whose prefix (created if needed; use a temp dir) holds its config, logs and pid. */
    public static Builder builder(Path prefix) {
        return new Builder(prefix);
    }

    /** Collects sites and starts nginx. */
    public static final class Builder {
        private final Path prefix;
        private Path binary = DEFAULT_BINARY;
        private final List<Site> sites = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(15);

        private Builder(Path prefix) {
            this.prefix = prefix;
        }

        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        /** Adds a TLS site on its own free loopback port. */
        public Builder site(String name, Path certificate, Path key) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("site name must be letters, digits, '_' or '-': " + name);
            }
            sites.add(new Site(name, certificate.toAbsolutePath(), key.toAbsolutePath()));
            return this;
        }

        /**
         * Adds a site presenting a fresh {@code localhost} certificate signed by {@code ca} that expires in {@code
         * remaining}, from {@code fullchain.pem} and {@code key.pem} written into {@code dir} (created if needed).
         */
        public Builder expiringSite(String name, Path dir, TestCertificates.Issued ca, Duration remaining) {
            try {
                Path certs = java.nio.file.Files.createDirectories(dir);
                TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                        .sans("localhost")
                        .expiringIn(remaining)
                        .signedBy(ca);
                leaf.writeFullchainPem(certs.resolve("fullchain.pem"));
                leaf.writeKeyPem(certs.resolve("key.pem"));
                return site(name, certs.resolve("fullchain.pem"), certs.resolve("key.pem"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Writes the config, starts nginx and waits until every site's port accepts connections. */
        public NginxServer start() {
            if (sites.isEmpty()) {
                throw new IllegalStateException("add at least one site");
            }
            NginxServer server = new NginxServer(this);
            server.start();
            return server;
        }
    }

    /** The loopback address every site listens on. */
    public String host() {
        return HOST;
    }

    /** The port of the named site. */
    public int port(String site) {
        Integer port = ports.get(site);
        if (port == null) {
            throw new IllegalArgumentException("no site " + site);
        }
        return port;
    }

    /** Site name → port, in the order the sites were added. */
    public Map<String, Integer> ports() {
        return Collections.unmodifiableMap(ports);
    }

    public List<Site> sites() {
        return sites;
    }

    public Path prefix() {
        return prefix;
    }

    public Path configFile() {
        return config;
    }

    public Path errorLog() {
        return errorLog;
    }

    /** The reload command as an argument vector. */
    public List<String> reloadArguments() {
        return List.of(
                binary.toString(),
                "-p",
                prefix + "/",
                "-c",
                config.toString(),
                "-e",
                errorLog.toString(),
                "-s",
                "reload");
    }

    /**
     * The reload command line for {@code certloop.deployment.reload-actions.<name>}; it is split on
     * spaces, which is why the prefix may not contain whitespace.
     */
    public String reloadCommand() {
        return String.join(" ", reloadArguments());
    }

    /**
     * A reload action that signals the master itself ({@code pkill -HUP -F <pid file>}): what {@code nginx -s reload}
     * sends after its own process has parsed the whole configuration and loaded every certificate and key, so nginx
     * loads them once instead of twice. The price: a configuration nginx cannot load only reaches the error log (the
     * master keeps the old one and the command still exits 0), so only the live verification notices it.
     */
    public String hangUpCommand() {
        return "/usr/bin/pkill -HUP -F " + prefix.resolve("nginx.pid");
    }

    /**
     * Runs the reload command and returns once nginx's signaller exited 0 (it parses the new
     * config and loads the certificates before signalling, so a bad certificate fails here).
     * Old workers may still answer for a moment; poll for the expected certificate.
     */
    public void reload() {
        CommandResult result = runCommand(reloadArguments(), Duration.ofSeconds(15));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("nginx reload failed with " + result.exitCode() + ": " + result.output());
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The error log, for assertion messages. */
    public String errorLogText() {
        try {
            return Files.exists(errorLog) ? Files.readString(errorLog, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops nginx (fast shutdown, then kill) and waits for it and its workers to exit. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
        process = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and runs the hook itself
            }
            shutdownHook = null;
        }
    }

    private void start() {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is not installed (apt-get install nginx-light or nginx)");
        }
        if (prefix.toString().matches(".*\\s.*")) {
            throw new IllegalStateException("prefix must not contain whitespace: " + prefix);
        }
        try {
            for (String dir : List.of("conf", "logs", "tmp")) {
                Files.createDirectories(prefix.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            ports = freePorts();
            writeConfig();
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                // most likely a port taken between choosing and binding it: try fresh ports
                failure = e;
                close();
            }
        }
        throw failure;
    }

    private void launch() {
        List<String> command =
                List.of(binary.toString(), "-p", prefix + "/", "-c", config.toString(), "-e", errorLog.toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            prefix.resolve("logs/stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Process started = process;
        shutdownHook = new Thread(
                () -> {
                    started.descendants().forEach(ProcessHandle::destroyForcibly);
                    started.destroyForcibly();
                },
                "nginx-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        long deadline = System.nanoTime() + startTimeout.toNanos();
        List<Integer> waiting = new ArrayList<>(ports.values());
        while (!waiting.isEmpty()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + errorLogText());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "nginx did not listen on " + waiting + " within " + startTimeout + ": " + errorLogText());
            }
            waiting.removeIf(NginxServer::answers);
            if (!waiting.isEmpty()) {
                sleep(50);
            }
        }
    }

    private void writeConfig() {
        StringBuilder conf = new StringBuilder();
        conf.append("# written by io.certloop.support.NginxServer\n");
        conf.append("daemon off;\nmaster_process on;\nworker_processes 1;\n");
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user root;\n");
        }
        conf.append("pid ").append(prefix.resolve("nginx.pid")).append(";\n");
        conf.append("lock_file ").append(prefix.resolve("nginx.lock")).append(";\n");
        conf.append("error_log ").append(errorLog).append(" notice;\n");
        int connections = Math.max(256, ports.size() * 4);
        conf.append("worker_rlimit_nofile ")
                .append(connections * 2 + ports.size() + 64)
                .append(";\n");
        conf.append("events { worker_connections ").append(connections).append("; }\n");
        conf.append("http {\n");
        conf.append("  access_log off;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            conf.append("  ")
                    .append(temp)
                    .append("_temp_path ")
                    .append(prefix.resolve("tmp/" + temp))
                    .append(";\n");
        }
        conf.append("  default_type text/plain;\n");
        for (Site site : sites) {
            conf.append("  server {\n");
            conf.append("    listen ")
                    .append(HOST)
                    .append(':')
                    .append(ports.get(site.name()))
                    .append(" ssl;\n");
            conf.append("    server_name ").append(site.name()).append(";\n");
            conf.append("    ssl_certificate ").append(site.certificate()).append(";\n");
            conf.append("    ssl_certificate_key ").append(site.key()).append(";\n");
            conf.append("    location / { return 200 \"").append(site.name()).append("\\n\"; }\n");
            conf.append("  }\n");
        }
        conf.append("}\n");
        try {
            Files.writeString(config, conf.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Integer> freePorts() {
        Map<String, Integer> chosen = new LinkedHashMap<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (Site site : sites) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                held.add(socket);
                chosen.put(site.name(), socket.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot matter
                }
            }
        }
        return chosen;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record CommandResult(int exitCode, String output) {}

    private static CommandResult runCommand(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new CommandResult(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
