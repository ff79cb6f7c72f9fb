package io.certloop.probe;

import io.certloop.probe.guard.InventoryTargets;
import io.certloop.probe.guard.ProbeTargetGuard;
import io.certloop.probe.tls.JsseTlsProber;
import io.certloop.probe.tls.TrustAnchors;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Benchmark behind {@code bench/probe} (not a test): N loopback TLS listeners served by ONE nginx, each with
 * its own key and certificate, probed by {@link JsseTlsProber} (full chain capture, trust, names, policy; revocation off as the
 * certificates name no responder) and by Debian's prometheus-blackbox-exporter (tcp module with
 * TLS) at the same concurrency. Prints endpoints per second and the ratio: for the first round (a cold JVM,
 * nothing cached) and for the measured rounds after a timed warm-up (the steady state of a long-running
 * server, whose detection loop probes the same endpoints every cycle).
 *
 * <p>Arguments: {@code N CONCURRENCY ROUNDS [WARMUP_SECONDS=120]}.
 */
final class ProbeBench {

    private ProbeBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Duration warmUp = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 120);
        Path dir = Files.createTempDirectory("certloop-bench-probe");
        Issued root = TestCertificates.rootCa("Bench Root").selfSigned();
        Issued ca = TestCertificates.intermediate("Bench CA").signedBy(root);
        Path rootPem = root.writeCertificatePem(dir.resolve("root.pem"));
        // every listener has its own key and certificate, as an estate does: nothing the prober remembers
        // about one endpoint (chain verdict, decoded server key) is reused for another
        List<Integer> ports = freePorts(n);
        Map<Integer, Issued> leaves = new HashMap<>();
        for (int port : ports) {
            leaves.put(port, TestCertificates.leaf("bench.test").signedBy(ca));
        }

        Process nginx = startNginx(dir, leaves);
        Process exporter = null;
        try {
            waitFor(ports.get(ports.size() - 1), Duration.ofSeconds(60));
            int exporterPort = freePorts(1).get(0);
            exporter = startExporter(dir, exporterPort, rootPem);
            waitFor(exporterPort, Duration.ofSeconds(30));
            Cpu cpu = new Cpu(nginx.toHandle(), exporter.toHandle());

            ProbeProperties defaults = ProbeProperties.defaults();
            ProbeProperties properties = defaults.withAllowlist(List.of("127.0.0.0/8"))
                    .withRevocationEnabled(false)
                    .withCacheSize(Math.max(n, defaults.cacheSize())); // as docs/operations.md tells operators
            JsseTlsProber prober = new JsseTlsProber(
                    properties,
                    new ProbeTargetGuard(properties, InventoryTargets.none()),
                    TrustAnchors.load(List.of(rootPem.toString())),
                    new io.certloop.probe.policy.FindingPolicy(
                            io.certloop.probe.policy.PolicySettings.from(properties.policy())),
                    Clock.systemUTC());
            IntPredicate certloop = port -> {
                ProbeReport report = prober.probe(new ProbeRequest(
                        "127.0.0.1",
                        port,
                        "bench.test",
                        null,
                        null,
                        leaves.get(port).sha256(),
                        2));
                return report.reachable() && report.findings().isEmpty() && report.trusted();
            };
            // Prometheus scrapes over kept-alive HTTP/1.1 connections; so does the bench, with a minimal client so
            // that the harness spends as little of the shared CPU as possible on the exporter's side
            ScrapeConnections scrapes = new ScrapeConnections(exporterPort);
            IntPredicate blackbox = port -> scrapes.scrape("/probe?module=tcp_tls&target=127.0.0.1:" + port)
                    .contains("\nprobe_success 1");

            System.out.printf(
                    "endpoints=%d concurrency=%d rounds=%d warm-up=%ds (one nginx, %d listeners, a key each); load average %s%n",
                    n, concurrency, rounds, warmUp.toSeconds(), n, loadAverage());
            Round coldOurs = run("certloop cold", ports, concurrency, certloop, cpu);
            Round coldTheirs = run("blackbox cold", ports, concurrency, blackbox, cpu);
            // C2 needs tens of seconds of a loaded machine's CPU before the TLS, EC and ASN.1 paths are
            // compiled (measured: the prober's CPU per probe keeps falling for about a minute). Both sides are
            // warmed up for the same time, rounds alternated.
            long warmUpEnds = System.nanoTime() + warmUp.toNanos();
            for (int round = 1; System.nanoTime() < warmUpEnds; round++) {
                run("warm-up certloop " + round, ports, concurrency, certloop, cpu);
                run("warm-up blackbox " + round, ports, concurrency, blackbox, cpu);
            }
            List<Round> ours = new ArrayList<>();
            List<Round> theirs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                ours.add(run("certloop round " + round, ports, concurrency, certloop, cpu));
                theirs.add(run("blackbox round " + round, ports, concurrency, blackbox, cpu));
            }
            System.out.printf(
                    "cold (first round):        certloop %8.1f endpoints/s, blackbox %8.1f endpoints/s, ratio %.2f%n",
                    coldOurs.rate(), coldTheirs.rate(), coldOurs.rate() / coldTheirs.rate());
            System.out.printf(
                    "certloop prober:           %8.1f endpoints/s median of %d (best %.1f); CPU per probe: JVM %.2f ms, nginx %.2f ms%n",
                    median(ours, Round::rate),
                    rounds,
                    best(ours),
                    median(ours, Round::jvm),
                    median(ours, Round::nginx));
            System.out.printf(
                    "blackbox exporter tcp/tls: %8.1f endpoints/s median of %d (best %.1f); CPU per probe: exporter %.2f ms,"
                            + " scraping JVM %.2f ms, nginx %.2f ms%n",
                    median(theirs, Round::rate),
                    rounds,
                    best(theirs),
                    median(theirs, Round::exporter),
                    median(theirs, Round::jvm),
                    median(theirs, Round::nginx));
            // each certloop round is paired with the blackbox round run right after it: the ratio of a pair is
            // measured under the same machine conditions, and the median of the pairs is robust to drift
            List<Double> pairs = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                pairs.add(ours.get(i).rate() / theirs.get(i).rate());
            }
            System.out.printf(
                    "ratio certloop/blackbox:   %8.2f (median of %d paired rounds: %s; ratio of medians %.2f)%n",
                    median(pairs),
                    rounds,
                    pairs.stream().map(ratio -> String.format("%.2f", ratio)).toList(),
                    median(ours, Round::rate) / median(theirs, Round::rate));
            System.out.printf("load average after: %s%n", loadAverage());
        } finally {
            if (exporter != null) {
                exporter.destroy();
            }
            nginx.destroy();
            nginx.waitFor();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One round: endpoints per second, and CPU milliseconds per probe of the bench JVM, nginx and the exporter. */
    private record Round(double rate, double jvm, double nginx, double exporter) {}

    private static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
        return median(rounds.stream().map(value::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double best(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::rate).max().orElse(0);
    }

    private static Round run(String label, List<Integer> ports, int concurrency, IntPredicate probe, Cpu cpu)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int port : ports) {
                tasks.add(() -> probe.test(port));
            }
            long[] cpuBefore = cpu.read();
            long start = System.nanoTime();
            int ok = 0;
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                ok += result.get() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] cpuAfter = cpu.read();
            Round result = new Round(
                    ports.size() / seconds,
                    perProbe(cpuBefore[0], cpuAfter[0], ports),
                    perProbe(cpuBefore[1], cpuAfter[1], ports),
                    perProbe(cpuBefore[2], cpuAfter[2], ports));
            System.out.printf(
                    "  %-22s %5d/%d ok in %6.2f s = %8.1f endpoints/s; CPU per probe: bench JVM %.2f ms, nginx %.2f ms,"
                            + " exporter %.2f ms%n",
                    label, ok, ports.size(), seconds, result.rate(), result.jvm(), result.nginx(), result.exporter());
            if (ok != ports.size()) {
                throw new IllegalStateException(label + ": only " + ok + " of " + ports.size() + " probes succeeded");
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Kept-alive HTTP/1.1 connections to the exporter, one per concurrent scrape, reused across scrapes. */
    private static final class ScrapeConnections {

        private final int port;
        private final Queue<ScrapeConnection> idle = new ConcurrentLinkedQueue<>();

        ScrapeConnections(int port) {
            this.port = port;
        }

        String scrape(String path) {
            ScrapeConnection connection = idle.poll();
            try {
                if (connection == null) {
                    connection = new ScrapeConnection(port);
                }
                String body = connection.get(path);
                idle.add(connection);
                return body;
            } catch (IOException e) {
                if (connection != null) {
                    connection.close();
                }
                return "scrape failed: " + e;
            }
        }
    }

    private static final class ScrapeConnection {

        private final Socket socket;
        private final BufferedInputStream in;
        private final OutputStream out;

        ScrapeConnection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("exporter answered " + status);
            }
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (!chunked) {
                return new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            StringBuilder body = new StringBuilder();
            for (int size = Integer.parseInt(line().strip(), 16);
                    size > 0;
                    size = Integer.parseInt(line().strip(), 16)) {
                body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line();
            }
            line();
            return body.toString();
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // abandoned either way
            }
        }
    }

    private static double perProbe(long before, long after, List<Integer> ports) {
        return (after - before) / 1e6 / ports.size();
    }

    /** CPU time (ns) used so far by this JVM, by nginx (master and workers) and by the exporter. */
    private record Cpu(ProcessHandle nginx, ProcessHandle exporter) {
        long[] read() {
            // nginx and the exporter are this JVM's children: count the JVM alone, then each child's tree
            return new long[] {
                cpuOf(Stream.of(ProcessHandle.current())),
                cpuOf(Stream.concat(Stream.of(nginx), nginx.descendants())),
                cpuOf(Stream.of(exporter))
            };
        }

        private static long cpuOf(Stream<ProcessHandle> processes) {
            return processes
                    .mapToLong(handle -> handle.info()
                            .totalCpuDuration()
                            .map(Duration::toNanos)
                            .orElse(0L))
                    .sum();
        }
    }

    private static Process startNginx(Path dir, Map<Integer, Issued> leaves) throws IOException {
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(prefix.resolve("logs"));
        Path certificates = Files.createDirectories(dir.resolve("certificates"));
        StringBuilder servers = new StringBuilder();
        for (Map.Entry<Integer, Issued> site : leaves.entrySet()) {
            Path chain = site.getValue().writeChainPem(certificates.resolve(site.getKey() + ".pem"));
            Path key = site.getValue().writeKeyPem(certificates.resolve(site.getKey() + ".key"));
            servers.append("  server { listen 127.0.0.1:")
                    .append(site.getKey())
                    .append(" ssl; ssl_certificate ")
                    .append(chain.toAbsolutePath())
                    .append("; ssl_certificate_key ")
                    .append(key.toAbsolutePath())
                    .append("; return 200 \"ok\"; }\n");
        }
        String config = """
                daemon off;
                master_process on;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  ssl_session_cache off;
                  ssl_session_tickets off;
                %2$s}
                """.formatted(prefix, servers);
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        return new ProcessBuilder(
                        "/usr/sbin/nginx", "-p", prefix + "/", "-c", conf.toString(), "-e", prefix + "/logs/error.log")
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                .start();
    }

    private static Process startExporter(Path dir, int port, Path rootPem) throws IOException {
        Path config = dir.resolve("blackbox.yml");
        Files.writeString(config, """
                modules:
                  tcp_tls:
                    prober: tcp
                    timeout: 5s
                    tcp:
                      tls: true
                      tls_config:
                        ca_file: %s
                        server_name: bench.test
                """.formatted(rootPem.toAbsolutePath()));
        return new ProcessBuilder(
                        "prometheus-blackbox-exporter",
                        "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("blackbox.log").toFile())
                .start();
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    private static void waitFor(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("port " + port + " did not open");
    }
}
