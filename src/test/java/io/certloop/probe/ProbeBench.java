package io.certloop.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;

import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;

/**
 * Benchmark behind {@code bench/probe} (not a test): N loopback TLS listeners served by ONE nginx,
 * probed by {@link JsseTlsProber} (full chain capture, trust, names, policy; revocation off as the
 * certificates name no responder) and by Debian's prometheus-blackbox-exporter (tcp module with
 * TLS) at the same concurrency. Prints endpoints per second and the ratio.
 *
 * <p>Arguments: {@code N CONCURRENCY ROUNDS [WARMUP_ROUNDS=2]}.
 */
final class ProbeBench {

    private ProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path dir = Files.createTempDirectory("certloop-bench-probe");
        Issued root = TestCertificates.rootCa("Bench Root").selfSigned();
        Issued ca = TestCertificates.intermediate("Bench CA").signedBy(root);
        Issued leaf = TestCertificates.leaf("bench.test").signedBy(ca);
        Path chain = leaf.writeChainPem(dir.resolve("fullchain.pem"));
        Path key = leaf.writeKeyPem(dir.resolve("key.pem"));
        Path rootPem = root.writeCertificatePem(dir.resolve("root.pem"));
        List<Integer> ports = freePorts(n);

        Process nginx = startNginx(dir, ports, chain, key);
        Process exporter = null;
        try {
            waitFor(ports.get(ports.size() - 1), Duration.ofSeconds(30));
            int exporterPort = freePorts(1).get(0);
            exporter = startExporter(dir, exporterPort, rootPem);
            waitFor(exporterPort, Duration.ofSeconds(30));

            ProbeProperties properties = new ProbeProperties();
            properties.setAllowlist(List.of("127.0.0.0/8"));
            properties.setRevocationEnabled(false);
            JsseTlsProber prober = new JsseTlsProber(properties, new ProbeTargetGuard(properties, InventoryTargets.none()),
                    TrustAnchors.load(List.of(rootPem.toString())),
                    new io.certloop.probe.policy.FindingPolicy(io.certloop.probe.policy.PolicySettings.from(properties.getPolicy())),
                    Clock.systemUTC());
            IntPredicate certloop = port -> {
                ProbeReport report = prober.probe(new ProbeRequest("127.0.0.1", port, "bench.test", null, null, leaf.sha256(), 2));
                return report.reachable() && report.findings().isEmpty() && report.trusted();
            };
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newFixedThreadPool(concurrency)).build();
            IntPredicate blackbox = port -> {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort
                            + "/probe?module=tcp_tls&target=127.0.0.1:" + port)).build(), HttpResponse.BodyHandlers.ofString());
                    return response.body().contains("\nprobe_success 1");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            };

            System.out.printf("endpoints=%d concurrency=%d rounds=%d warm-up rounds=%d (one nginx, %d listeners); load average %s%n",
                    n, concurrency, rounds, warmups, n, loadAverage());
            // the JVM needs a few thousand handshakes before C2 has compiled the TLS and EC code paths; a
            // long-running prober is always in that state. Both sides get the same warm-up rounds.
            for (int round = 1; round <= warmups; round++) {
                run("warm-up certloop " + round, ports, concurrency, certloop);
                run("warm-up blackbox " + round, ports, concurrency, blackbox);
            }
            double ours = 0;
            double theirs = 0;
            for (int round = 1; round <= rounds; round++) {
                ours = Math.max(ours, run("certloop round " + round, ports, concurrency, certloop));
                theirs = Math.max(theirs, run("blackbox round " + round, ports, concurrency, blackbox));
            }
            System.out.printf("certloop prober:           %8.1f endpoints/s (best of %d)%n", ours, rounds);
            System.out.printf("blackbox exporter tcp/tls: %8.1f endpoints/s (best of %d)%n", theirs, rounds);
            System.out.printf("ratio certloop/blackbox:   %8.2f%n", ours / theirs);
            System.out.printf("load average after: %s%n", loadAverage());
            System.exit(0);
        } finally {
            if (exporter != null) {
                exporter.destroy();
            }
            nginx.destroy();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double run(String label, List<Integer> ports, int concurrency, IntPredicate probe) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int port : ports) {
                tasks.add(() -> probe.test(port));
            }
            long start = System.nanoTime();
            int ok = 0;
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                ok += result.get() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = ports.size() / seconds;
            System.out.printf("  %-22s %5d/%d ok in %6.2f s = %8.1f endpoints/s%n", label, ok, ports.size(), seconds, rate);
            if (ok != ports.size()) {
                throw new IllegalStateException(label + ": only " + ok + " of " + ports.size() + " probes succeeded");
            }
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Process startNginx(Path dir, List<Integer> ports, Path chain, Path key) throws IOException {
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(prefix.resolve("logs"));
        StringBuilder listen = new StringBuilder();
        for (int port : ports) {
            listen.append("    listen 127.0.0.1:").append(port).append(" ssl;\n");
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
                  server {
                %2$s    ssl_certificate %3$s;
                    ssl_certificate_key %4$s;
                    ssl_session_cache off;
                    ssl_session_tickets off;
                    return 200 "ok";
                  }
                }
                """.formatted(prefix, listen, chain.toAbsolutePath(), key.toAbsolutePath());
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        return new ProcessBuilder("/usr/sbin/nginx", "-p", prefix + "/", "-c", conf.toString(), "-e", prefix + "/logs/error.log")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
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
        return new ProcessBuilder("prometheus-blackbox-exporter", "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("blackbox.log").toFile()).start();
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
