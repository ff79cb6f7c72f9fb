package io.certloop.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code POST /api/probes} against a real TLS server, with the extra root configured as a PEM file.
 * A web slice without the API authentication (covered by the full-server IT): this is about the
 * probe's request and response contract.
 */
@WebMvcTest(
        controllers = ProbeController.class,
        excludeFilters =
                @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.certloop\\.system\\.security\\..*"))
@Import(ProbeConfiguration.class)
@EnableConfigurationProperties(ProbeProperties.class)
class ProbeApiIT {

    private static final Issued ROOT = TestCertificates.rootCa("Api Test Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Api Test CA").signedBy(ROOT);
    private static final Issued LEAF =
            TestCertificates.leaf("svc.test").sans("svc.test", "*.svc.test").signedBy(CA);
    private static final TlsTestServer SERVER = TlsTestServer.start(LEAF);
    private static final Path ROOT_PEM = writeRoot();

    @Autowired
    private MockMvc mvc;

    private static Path writeRoot() {
        try {
            return ROOT.writeCertificatePem(
                    Files.createTempDirectory("probe-api").resolve("root.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // only 127.0.0.1: other loopback addresses stand for hosts nobody allowed
        registry.add("certloop.probe.allowlist", () -> "127.0.0.1/32,*.example.com");
        registry.add("certloop.probe.trust.extra-roots", ROOT_PEM::toString);
        registry.add("certloop.probe.handshake-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void probesAnEndpointAndTrustsTheExtraRootFromThePemFile() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"127.0.0.1\",\"port\":" + SERVER.port() + ",\"sni\":\"svc.test\","
                                + "\"expectedNames\":[\"svc.test\",\"api.svc.test\"]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.leaf.sha256").value(LEAF.sha256()))
                .andExpect(jsonPath("$.leaf.notAfter")
                        .value(LEAF.certificate().getNotAfter().toInstant().toString()))
                .andExpect(jsonPath("$.leaf.sans", hasSize(2)))
                .andExpect(jsonPath("$.chain", hasSize(2)))
                .andExpect(jsonPath("$.chain[1].sha256").value(CA.sha256()))
                .andExpect(jsonPath("$.chainComplete").value(true))
                .andExpect(jsonPath("$.trusted").value(true))
                .andExpect(jsonPath("$.hostnameMatches").value(true))
                .andExpect(jsonPath("$.revocation.status").value("UNKNOWN"))
                .andExpect(jsonPath("$.findings", hasSize(0)))
                .andExpect(jsonPath("$.addresses[0].address").value("127.0.0.1"));
    }

    @Test
    void reportsFindingsWithCodeDetailAndEvidence() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"127.0.0.1\",\"port\":" + SERVER.port() + ",\"sni\":\"other.test\","
                                + "\"expectedSha256\":\"" + "0".repeat(64) + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.findings[0].code").value(FindingCodes.NAME_MISMATCH))
                .andExpect(jsonPath("$.findings[0].detail").value(containsString("other.test")))
                .andExpect(jsonPath("$.findings[1].code").value(FindingCodes.FINGERPRINT_MISMATCH))
                .andExpect(jsonPath("$.findings[1].evidence.leafSha256").value(LEAF.sha256()));
    }

    @Test
    void refusesTheMetadataServiceWith403AndTheReason() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"0xA9FEA9FE\",\"port\":80}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.reason").value(containsString("169.254.169.254")));
    }

    @Test
    void refusesANonAllowlistedTargetWith403() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"192.0.2.10\",\"port\":443}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.reason").value(containsString("allowlist")));
    }

    @Test
    void namesTheMissingFieldIn400() throws Exception {
        mvc.perform(post("/api/probes").contentType(MediaType.APPLICATION_JSON).content("{\"port\":443}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("host"))
                .andExpect(jsonPath("$.detail").value(containsString("host")));
    }

    @Test
    void namesAnOutOfRangePortIn400() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"a.example.com\",\"port\":70000}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("port"));
    }

    @Test
    void namesAnAddressThatIsNotALiteralIn400() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"127.0.0.1\",\"port\":443,\"addresses\":[\"backend.example.com\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("addresses[0]"));
    }

    @Test
    void refusesAnExtraAddressOutsideTheAllowlistAndConnectsToNothing() throws Exception {
        // listeners on the endpoint's own address and on a loopback address the allowlist does not hold, same port
        try (ServerSocketChannel allowed = ServerSocketChannel.open();
                ServerSocketChannel refused = ServerSocketChannel.open()) {
            allowed.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) allowed.getLocalAddress()).getPort();
            refused.bind(new InetSocketAddress("127.0.0.3", port));
            allowed.configureBlocking(false);
            refused.configureBlocking(false);

            mvc.perform(post("/api/probes")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"host\":\"127.0.0.1\",\"port\":" + port
                                    + ",\"addresses\":[\"127.0.0.1\",\"127.0.0.3\"]}"))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.field").value("addresses[1]"))
                    .andExpect(jsonPath("$.reason").value(containsString("127.0.0.3")))
                    .andExpect(jsonPath("$.reason").value(containsString("allowlist")));

            // a connection the kernel completed would be waiting here, accepted or not
            assertThat(refused.accept()).as("connection to the refused address").isNull();
            assertThat(allowed.accept())
                    .as("nothing of a refused request is probed")
                    .isNull();
        }
    }

    @Test
    void namesAPortOfTheWrongTypeIn400() throws Exception {
        mvc.perform(post("/api/probes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"host\":\"a.example.com\",\"port\":\"https\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("port"));
    }
}
