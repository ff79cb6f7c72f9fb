package io.certloop.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.certloop.probe.tls.JsseTlsProber;
import io.certloop.support.NginxServer;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's nginx on loopback: the prober's fingerprint equals the one computed from the PEM file nginx serves. */
class NginxProbeIT {

    @Test
    void theFingerprintOfWhatNginxPresentsIsTheOneOfThePemFile(@TempDir Path dir) throws Exception {
        assumeTrue(NginxServer.available(), "nginx is not installed");
        Issued root = TestCertificates.rootCa("Nginx Test Root").selfSigned();
        Issued ca = TestCertificates.intermediate("Nginx Test CA").signedBy(root);
        Issued leaf = TestCertificates.leaf("web.test")
                .rsa(2048)
                .expiringIn(Duration.ofDays(60))
                .signedBy(ca);
        Path fullchain = leaf.writeChainPem(dir.resolve("tls/fullchain.pem"));
        Path key = leaf.writeKeyPem(dir.resolve("tls/key.pem"));
        String fromPem;
        try (InputStream in = Files.newInputStream(fullchain)) {
            X509Certificate first =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            fromPem = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(first.getEncoded()));
        }
        JsseTlsProber prober = ProberFixture.prober(Clock.systemUTC(), List.of(root.certificate()));

        try (NginxServer nginx = NginxServer.builder(dir.resolve("nginx"))
                .site("web", fullchain, key)
                .start()) {
            ProbeReport report =
                    prober.probe(new ProbeRequest(nginx.host(), nginx.port("web"), "web.test", null, null, fromPem, 1));

            assertThat(report.leaf().sha256()).isEqualTo(fromPem);
            assertThat(report.chain()).hasSize(2);
            assertThat(report.chainComplete()).isTrue();
            assertThat(report.trusted()).isTrue();
            assertThat(report.hostnameMatches()).isTrue();
            assertThat(report.protocol()).startsWith("TLSv1.");
            assertThat(report.findings()).isEmpty();
        }
    }
}
