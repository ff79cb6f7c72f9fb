package io.certloop.probe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.probe.AddressResult;
import io.certloop.probe.CertificateDetails;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.revocation.Revocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure checks, case by case; each case changes one fact of an otherwise healthy report. */
class FindingPolicyTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private final FindingPolicy policy = new FindingPolicy(PolicySettings.defaults());

    /** A healthy single-backend report that expires in 60 days. */
    private static Fixture healthy() {
        return new Fixture(
                leaf(
                        SHA_A,
                        NOW.minus(Duration.ofDays(30)),
                        NOW.plus(Duration.ofDays(60)),
                        "EC",
                        256,
                        "SHA256withECDSA",
                        false),
                true,
                true,
                true,
                true,
                Revocation.Status.GOOD,
                null,
                null,
                List.of());
    }

    private static CertificateDetails leaf(
            String sha, Instant from, Instant until, String keyAlg, int size, String sigAlg, boolean selfSigned) {
        return new CertificateDetails(
                sha,
                "CN=svc.test",
                selfSigned ? "CN=svc.test" : "CN=Issuing CA",
                "1a",
                from,
                until,
                List.of("svc.test"),
                keyAlg,
                size,
                sigAlg,
                selfSigned,
                null);
    }

    private static final CertificateDetails INTERMEDIATE = new CertificateDetails(
            "c".repeat(64),
            "CN=Issuing CA",
            "CN=Root",
            "2",
            NOW.minus(Duration.ofDays(900)),
            NOW.plus(Duration.ofDays(900)),
            List.of(),
            "EC",
            384,
            "SHA384withECDSA",
            false,
            null);

    /** One fact changed at a time. */
    private record Fixture(
            CertificateDetails leaf,
            boolean complete,
            boolean anchorTrusted,
            boolean trusted,
            boolean names,
            Revocation.Status revocation,
            String expectedSha,
            Integer tier,
            List<AddressResult> extraBackends) {

        Fixture with(UnaryOperator<Fixture> change) {
            return change.apply(this);
        }

        ProbeContext context() {
            List<CertificateDetails> chain = leaf.selfSigned() ? List.of(leaf) : List.of(leaf, INTERMEDIATE);
            Revocation status = new Revocation(
                    revocation,
                    revocation == Revocation.Status.UNKNOWN ? "NONE" : "OCSP",
                    "http://ocsp.test",
                    null,
                    "test");
            List<AddressResult> backends = new ArrayList<>();
            backends.add(new AddressResult(
                    "192.0.2.1",
                    true,
                    null,
                    "TLSv1.3",
                    "TLS_AES_128_GCM_SHA256",
                    chain,
                    complete,
                    anchorTrusted,
                    trusted,
                    null,
                    names,
                    status));
            backends.addAll(extraBackends);
            ProbeReport report = new ProbeReport(
                    "svc.test",
                    443,
                    "svc.test",
                    List.of("svc.test"),
                    NOW,
                    "TLSv1.3",
                    "TLS_AES_128_GCM_SHA256",
                    leaf,
                    chain,
                    complete,
                    trusted,
                    names,
                    status,
                    List.of(),
                    backends);
            return new ProbeContext(report, expectedSha, tier, NOW);
        }
    }

    private static Fixture withLeaf(Fixture f, CertificateDetails leaf) {
        return new Fixture(
                leaf,
                f.complete(),
                f.anchorTrusted(),
                f.trusted(),
                f.names(),
                f.revocation(),
                f.expectedSha(),
                f.tier(),
                f.extraBackends());
    }

    private static CertificateDetails expiringIn(Duration remaining) {
        return leaf(SHA_A, NOW.minus(Duration.ofDays(30)), NOW.plus(remaining), "EC", 256, "SHA256withECDSA", false);
    }

    private static AddressResult backend(String address, String sha) {
        CertificateDetails other = leaf(
                sha, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(89)), "EC", 256, "SHA256withECDSA", false);
        return new AddressResult(
                address,
                true,
                null,
                "TLSv1.3",
                "TLS_AES_128_GCM_SHA256",
                List.of(other, INTERMEDIATE),
                true,
                true,
                true,
                null,
                true,
                new Revocation(Revocation.Status.GOOD, "OCSP", null, null, null));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing is raised for a healthy endpoint", healthy(), List.of()),
                Arguments.of(
                        "expired when the leaf's notAfter has passed",
                        healthy().with(f -> withLeaf(f, expiringIn(Duration.ofDays(-1)))),
                        List.of(FindingCodes.EXPIRED)),
                Arguments.of(
                        "not yet valid when the leaf's notBefore is ahead",
                        healthy()
                                .with(f -> withLeaf(
                                        f,
                                        leaf(
                                                SHA_A,
                                                NOW.plus(Duration.ofHours(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "EC",
                                                256,
                                                "SHA256withECDSA",
                                                false))),
                        List.of(FindingCodes.NOT_YET_VALID)),
                Arguments.of(
                        "expiring soon when 20 days remain and no tier is known (tier 0 window, 30 days)",
                        healthy().with(f -> withLeaf(f, expiringIn(Duration.ofDays(20)))),
                        List.of(FindingCodes.EXPIRING_SOON)),
                Arguments.of(
                        "not expiring soon when 10 days remain on a tier 3 endpoint (7 days window)",
                        healthy()
                                .with(f -> new Fixture(
                                        expiringIn(Duration.ofDays(10)),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        3,
                                        List.of())),
                        List.of()),
                Arguments.of(
                        "expiring soon when 5 days remain on a tier 3 endpoint",
                        healthy()
                                .with(f -> new Fixture(
                                        expiringIn(Duration.ofDays(5)),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        3,
                                        List.of())),
                        List.of(FindingCodes.EXPIRING_SOON)),
                Arguments.of(
                        "self-signed when the leaf signed itself, without also calling the chain incomplete",
                        healthy()
                                .with(f -> new Fixture(
                                        leaf(
                                                SHA_A,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "EC",
                                                256,
                                                "SHA256withECDSA",
                                                true),
                                        true,
                                        false,
                                        false,
                                        true,
                                        Revocation.Status.UNKNOWN,
                                        null,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.SELF_SIGNED)),
                Arguments.of(
                        "chain incomplete when an intermediate is missing",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        false,
                                        false,
                                        false,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.CHAIN_INCOMPLETE)),
                Arguments.of(
                        "untrusted root when the chain is complete but ends at an unknown root",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        false,
                                        false,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.UNTRUSTED_ROOT)),
                Arguments.of(
                        "name mismatch when the SANs do not cover the expected name",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        false,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.NAME_MISMATCH)),
                Arguments.of(
                        "fingerprint mismatch when the endpoint still presents the old leaf",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        SHA_B,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.FINGERPRINT_MISMATCH)),
                Arguments.of(
                        "no fingerprint mismatch when the expected fingerprint is written with colons and capitals",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        "AA:".repeat(31) + "AA",
                                        null,
                                        List.of())),
                        List.of()),
                Arguments.of(
                        "revoked when the CA says so",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.REVOKED,
                                        null,
                                        null,
                                        List.of())),
                        List.of(FindingCodes.REVOKED)),
                Arguments.of(
                        "no revocation finding when the status is unknown",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.UNKNOWN,
                                        null,
                                        null,
                                        List.of())),
                        List.of()),
                Arguments.of(
                        "weak key when the leaf has a 1024-bit RSA key",
                        healthy()
                                .with(f -> withLeaf(
                                        f,
                                        leaf(
                                                SHA_A,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "RSA",
                                                1024,
                                                "SHA256withRSA",
                                                false))),
                        List.of(FindingCodes.WEAK_KEY)),
                Arguments.of(
                        "no weak key for a 2048-bit RSA key",
                        healthy()
                                .with(f -> withLeaf(
                                        f,
                                        leaf(
                                                SHA_A,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "RSA",
                                                2048,
                                                "SHA256withRSA",
                                                false))),
                        List.of()),
                Arguments.of(
                        "weak signature when the leaf is signed with SHA-1",
                        healthy()
                                .with(f -> withLeaf(
                                        f,
                                        leaf(
                                                SHA_A,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "EC",
                                                256,
                                                "SHA1withECDSA",
                                                false))),
                        List.of(FindingCodes.WEAK_SIGNATURE)),
                Arguments.of(
                        "inconsistent backends when another address presents another leaf",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of(backend("192.0.2.2", SHA_B)))),
                        List.of(FindingCodes.INCONSISTENT_BACKENDS)),
                Arguments.of(
                        "consistent backends when every address presents the same leaf",
                        healthy()
                                .with(f -> new Fixture(
                                        f.leaf(),
                                        true,
                                        true,
                                        true,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of(backend("192.0.2.2", SHA_A)))),
                        List.of()),
                Arguments.of(
                        "handshake failed when one backend of two does not answer, and the other is still judged",
                        healthy()
                                .with(f -> new Fixture(
                                        expiringIn(Duration.ofDays(-2)),
                                        true,
                                        true,
                                        false,
                                        true,
                                        Revocation.Status.GOOD,
                                        null,
                                        null,
                                        List.of(failed("192.0.2.3")))),
                        List.of(FindingCodes.HANDSHAKE_FAILED, FindingCodes.EXPIRED)),
                Arguments.of(
                        "several findings are raised together in vocabulary order",
                        healthy()
                                .with(f -> new Fixture(
                                        leaf(
                                                SHA_A,
                                                NOW.minus(Duration.ofDays(10)),
                                                NOW.minus(Duration.ofDays(1)),
                                                "RSA",
                                                1024,
                                                "SHA1withRSA",
                                                false),
                                        false,
                                        false,
                                        false,
                                        false,
                                        Revocation.Status.REVOKED,
                                        SHA_B,
                                        2,
                                        List.of())),
                        List.of(
                                FindingCodes.EXPIRED,
                                FindingCodes.CHAIN_INCOMPLETE,
                                FindingCodes.NAME_MISMATCH,
                                FindingCodes.FINGERPRINT_MISMATCH,
                                FindingCodes.REVOKED,
                                FindingCodes.WEAK_KEY,
                                FindingCodes.WEAK_SIGNATURE)));
    }

    private static AddressResult failed(String address) {
        return new AddressResult(
                address,
                false,
                "ConnectException: refused",
                null,
                null,
                List.of(),
                false,
                false,
                false,
                null,
                false,
                new Revocation(Revocation.Status.UNKNOWN, "NONE", null, null, "no handshake"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void raisesExactlyTheExpectedFindings(String sentence, Fixture fixture, List<String> expected) {
        List<Finding> findings = policy.evaluate(fixture.context());

        assertThat(findings).extracting(Finding::code).containsExactlyElementsOf(expected);
        assertThat(findings).allSatisfy(finding -> {
            assertThat(finding.detail()).isNotBlank();
            assertThat(finding.evidence()).isNotEmpty();
        });
    }

    @ParameterizedTest(name = "a configured window of {0} days for tier 1 decides at {1} days remaining: {2}")
    @org.junit.jupiter.params.provider.CsvSource({"45, 40, true", "45, 50, false", "3, 5, false"})
    void theTierWindowIsConfigurable(int windowDays, int remainingDays, boolean raised) {
        FindingPolicy custom = new FindingPolicy(new PolicySettings(
                List.of(Duration.ofDays(60), Duration.ofDays(windowDays)), 2048, 256, List.of("SHA1")));
        Fixture fixture = new Fixture(
                expiringIn(Duration.ofDays(remainingDays)),
                true,
                true,
                true,
                true,
                Revocation.Status.GOOD,
                null,
                1,
                List.of());

        assertThat(custom.evaluate(fixture.context()))
                .extracting(Finding::code)
                .isEqualTo(raised ? List.of(FindingCodes.EXPIRING_SOON) : List.of());
    }

    @ParameterizedTest(name = "no handshake at all gives HANDSHAKE_FAILED only")
    @MethodSource("unreachable")
    void anUnreachableEndpointOnlyFailsTheHandshake(ProbeReport report) {
        assertThat(policy.evaluate(new ProbeContext(report, SHA_B, 0, NOW)))
                .extracting(Finding::code)
                .containsExactly(FindingCodes.HANDSHAKE_FAILED);
    }

    static Stream<ProbeReport> unreachable() {
        return Stream.of(new ProbeReport(
                "svc.test",
                443,
                "svc.test",
                List.of("svc.test"),
                NOW,
                null,
                null,
                null,
                List.of(),
                false,
                false,
                false,
                new Revocation(Revocation.Status.UNKNOWN, "NONE", null, null, "no handshake"),
                List.of(),
                List.of(failed("192.0.2.1"))));
    }
}
