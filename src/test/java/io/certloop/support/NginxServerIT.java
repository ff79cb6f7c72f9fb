package io.certloop.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: many TLS sites in one nginx, nothing written outside its prefix. */
class NginxServerIT {

    @TempDir
    Path dir;

    @Test
    void serves_many_sites_from_one_nginx_each_with_its_own_certificate() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is not installed");
        int sites = 40;
        NginxServer.Builder builder = NginxServer.builder(dir.resolve("nginx"));
        Path certs = Files.createDirectories(dir.resolve("certs"));
        for (int i = 0; i < sites; i++) {
            Path cert = certs.resolve("site" + i + ".pem");
            Path key = certs.resolve("site" + i + ".key");
            run(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    key.toString(),
                    "-out",
                    cert.toString(),
                    "-subj",
                    "/CN=site" + i,
                    "-days",
                    "1");
            builder.site("site" + i, cert, key);
        }

        try (NginxServer nginx = builder.start()) {
            Set<String> subjects = new HashSet<>();
            for (int i = 0; i < sites; i++) {
                subjects.add(TlsPeek.peek(nginx.host(), nginx.port("site" + i)).subject());
            }
            assertThat(subjects).hasSize(sites).contains("CN=site0", "CN=site" + (sites - 1));
            assertThat(nginx.ports().values()).doesNotHaveDuplicates();

            nginx.reload();
            assertThat(TlsPeek.peek(nginx.host(), nginx.port("site7")).subject())
                    .isEqualTo("CN=site7");
            assertThat(nginx.reloadCommand())
                    .contains(" -p " + nginx.prefix() + "/ ")
                    .endsWith(" -s reload");
            assertThat(Files.readString(nginx.configFile())).doesNotContain("/var/");
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
