package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.Environment;
import io.certloop.inventory.ReplacementPath;
import io.certloop.probe.CertificateDetails;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.revocation.Revocation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Findings are announced once when they appear, not every cycle, and again after they cleared;
 * history and standing findings live in the real schema (Flyway migrations on H2).
 */
class FindingAnnouncementTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<Object> events = new ArrayList<>();
    private final AtomicReference<List<String>> nextFindings = new AtomicReference<>(List.of());
    private final AtomicReference<Map<String, String>> suppressed = new AtomicReference<>(Map.of());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private EndpointProbeService service;
    private JdbcTemplate jdbc;
    private DataSourceTransactionManager transactions;
    /** The listener of a raised finding (intake opening the incident) fails this many more times. */
    private int failuresToOpen;

    /** Intake as a listener: it writes in the announcing transaction, and may fail after writing. */
    private void publish(Object event) {
        if (event instanceof EndpointFindingRaised raised) {
            jdbc.update(
                    "INSERT INTO probe_open_finding (endpoint_id, code, opened_at, detail) VALUES (?, ?, ?, ?)",
                    999L,
                    "INCIDENT-WRITE-" + raised.finding().code() + "-" + events.size(),
                    java.sql.Timestamp.from(NOW),
                    "what intake wrote before it failed");
            if (failuresToOpen > 0) {
                failuresToOpen--;
                throw new IllegalStateException("could not open the incident");
            }
        }
        events.add(event);
    }

    private final Endpoint endpoint = endpoint();
    private final java.util.concurrent.atomic.AtomicReference<List<Finding>> renewalFindings =
            new java.util.concurrent.atomic.AtomicReference<>(List.of());

    /** A tier-1 production endpoint {@code web} (id 7). */
    static Endpoint endpoint() {
        return new Endpoint(
                7L,
                "web",
                "www.example.test",
                443,
                null,
                List.of(),
                List.of(),
                1,
                Environment.parse("production").orElseThrow(),
                null,
                null,
                ReplacementPath.parse("internal-ca").orElseThrow(),
                "standard",
                null,
                null,
                NOW,
                NOW,
                null);
    }

    @BeforeEach
    void setUp() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + getClass().getSimpleName() + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = new JdbcTemplate(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
        ObjectMapper json =
                new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ProbeHistoryRepository history = new ProbeHistoryRepository(jdbc, json);
        service = new EndpointProbeService(
                request -> report(nextFindings.get()),
                history,
                this::publish,
                new ProbeMetrics(registry, clock),
                name -> suppressed.get(),
                (e, r) -> renewalFindings.get(),
                transactions,
                clock);
    }

    static ProbeReport report(List<String> codes) {
        CertificateDetails leaf = new CertificateDetails(
                "a".repeat(64),
                "CN=www.example.test",
                "CN=CA",
                "1",
                NOW.minusSeconds(86_400),
                NOW.plusSeconds(3_600),
                List.of("www.example.test"),
                "EC",
                256,
                "SHA256withECDSA",
                false,
                null);
        List<Finding> findings = codes.stream()
                .map(code -> new Finding(code, code + " detail", Map.of("k", "v")))
                .toList();
        return new ProbeReport(
                "www.example.test",
                443,
                "www.example.test",
                List.of("www.example.test"),
                NOW,
                "TLSv1.3",
                "TLS_AES_128_GCM_SHA256",
                leaf,
                List.of(leaf),
                true,
                true,
                true,
                new Revocation(Revocation.Status.UNKNOWN, "NONE", null, null, "none"),
                findings,
                List.of());
    }

    private List<String> raised() {
        return events.stream()
                .filter(EndpointFindingRaised.class::isInstance)
                .map(event -> ((EndpointFindingRaised) event).finding().code())
                .toList();
    }

    private List<String> cleared() {
        return events.stream()
                .filter(EndpointFindingCleared.class::isInstance)
                .map(event -> ((EndpointFindingCleared) event).code())
                .toList();
    }

    @Test
    void theCasRenewalSuggestionIsAnnouncedOnceBesideTheProbesFindingsAndClearsWhenItIsGone() {
        nextFindings.set(List.of());
        renewalFindings.set(List.of(new Finding(FindingCodes.RENEWAL_SUGGESTED, "window due", Map.of())));

        service.probe(endpoint);
        service.probe(endpoint);
        assertThat(raised()).containsExactly(FindingCodes.RENEWAL_SUGGESTED);
        assertThat(service.openFindings(endpoint.id())).containsExactly(FindingCodes.RENEWAL_SUGGESTED);

        renewalFindings.set(List.of());
        service.probe(endpoint);
        assertThat(cleared()).containsExactly(FindingCodes.RENEWAL_SUGGESTED);
    }

    @Test
    void aNewFindingIsAnnouncedOnceAndAStandingOneIsNotReannounced() {
        nextFindings.set(List.of(FindingCodes.EXPIRING_SOON));
        service.probe(endpoint);
        service.probe(endpoint);
        service.probe(endpoint);

        assertThat(raised()).containsExactly(FindingCodes.EXPIRING_SOON);
        assertThat(service.openFindings(7L)).containsExactly(FindingCodes.EXPIRING_SOON);
    }

    @Test
    void aFindingWhoseIncidentCouldNotBeOpenedIsNotRecordedAsAnnouncedAndTheNextCycleOpensIt() {
        failuresToOpen = 1;
        nextFindings.set(List.of(FindingCodes.EXPIRED, FindingCodes.CHAIN_INCOMPLETE));
        service.probe(endpoint);

        // the failing one rolled back with what its listener wrote; the other one is unaffected
        assertThat(raised()).hasSize(1);
        String failed = raised().contains(FindingCodes.EXPIRED) ? FindingCodes.CHAIN_INCOMPLETE : FindingCodes.EXPIRED;
        assertThat(service.openFindings(endpoint.id())).doesNotContain(failed).hasSize(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM probe_open_finding WHERE endpoint_id = 999", Integer.class))
                .as("the listener's own write rolled back with the failed announcement")
                .isEqualTo(1);

        service.probe(endpoint);
        assertThat(raised()).containsExactlyInAnyOrder(FindingCodes.EXPIRED, FindingCodes.CHAIN_INCOMPLETE);
        assertThat(service.openFindings(endpoint.id()))
                .containsExactlyInAnyOrder(FindingCodes.EXPIRED, FindingCodes.CHAIN_INCOMPLETE);

        service.probe(endpoint);
        assertThat(raised()).as("announced once each, no more").hasSize(2);
    }

    @Test
    void aClearedFindingIsAnnouncedAsClearedAndCanBeRaisedAgain() {
        nextFindings.set(List.of(FindingCodes.FINGERPRINT_MISMATCH));
        service.probe(endpoint);
        nextFindings.set(List.of());
        service.probe(endpoint);
        nextFindings.set(List.of(FindingCodes.FINGERPRINT_MISMATCH));
        service.probe(endpoint);

        assertThat(raised()).containsExactly(FindingCodes.FINGERPRINT_MISMATCH, FindingCodes.FINGERPRINT_MISMATCH);
        assertThat(cleared()).containsExactly(FindingCodes.FINGERPRINT_MISMATCH);
    }

    @Test
    void aFindingAnExceptionExcusesIsMarkedAndRaisedOnlyAfterTheExceptionEnds() {
        nextFindings.set(List.of(FindingCodes.CHAIN_INCOMPLETE, FindingCodes.EXPIRING_SOON));
        suppressed.set(Map.of(FindingCodes.CHAIN_INCOMPLETE, "EXC-2026-000001"));
        ProbeReport report = service.probe(endpoint);
        service.probe(endpoint);

        assertThat(report.findings())
                .extracting(Finding::code, Finding::suppressedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(FindingCodes.CHAIN_INCOMPLETE, "EXC-2026-000001"),
                        org.assertj.core.groups.Tuple.tuple(FindingCodes.EXPIRING_SOON, null));
        assertThat(raised())
                .as("other findings on the endpoint are untouched")
                .containsExactly(FindingCodes.EXPIRING_SOON);

        suppressed.set(Map.of());
        service.probe(endpoint);
        assertThat(raised()).containsExactly(FindingCodes.EXPIRING_SOON, FindingCodes.CHAIN_INCOMPLETE);
    }

    @Test
    void aFindingThatWasStandingBeforeItsExceptionIsRaisedAgainWhenTheExceptionEnds() {
        nextFindings.set(List.of(FindingCodes.CHAIN_INCOMPLETE));
        service.probe(endpoint);
        suppressed.set(Map.of(FindingCodes.CHAIN_INCOMPLETE, "EXC-2026-000002"));
        service.probe(endpoint);
        assertThat(service.openFindings(7L)).isEmpty();
        assertThat(cleared()).as("excused is not cleared").isEmpty();

        suppressed.set(Map.of());
        service.probe(endpoint);
        assertThat(raised()).containsExactly(FindingCodes.CHAIN_INCOMPLETE, FindingCodes.CHAIN_INCOMPLETE);
    }

    @Test
    void aFindingStandingInTheDatabaseIsNotReannouncedAfterARestart() {
        nextFindings.set(List.of(FindingCodes.EXPIRED));
        service.probe(endpoint);
        events.clear();
        EndpointProbeService restarted = new EndpointProbeService(
                request -> report(List.of(FindingCodes.EXPIRED)),
                new ProbeHistoryRepository(jdbc, new ObjectMapper().findAndRegisterModules()),
                events::add,
                new ProbeMetrics(new SimpleMeterRegistry(), clock),
                name -> Map.of(),
                (e, r) -> List.of(),
                transactions,
                clock);

        restarted.probe(endpoint);

        assertThat(events).isEmpty();
    }

    @Test
    void everyProbeIsKeptAsEvidenceNewestFirst() {
        nextFindings.set(List.of(FindingCodes.NAME_MISMATCH));
        service.probe(endpoint);
        nextFindings.set(List.of());
        service.probe(endpoint);

        List<ProbeHistoryRepository.Entry> history = service.history(7L, new io.certloop.system.Page(10, 0));

        assertThat(history).hasSize(2);
        assertThat(history.get(0).findingCodes()).isEmpty();
        assertThat(history.get(1).findingCodes()).containsExactly(FindingCodes.NAME_MISMATCH);
        assertThat(history.get(0).leafSha256()).isEqualTo("a".repeat(64));
        assertThat(history.get(0).report().path("leaf").path("sha256").asText()).isEqualTo("a".repeat(64));
        assertThat(history.get(0).endpointName()).isEqualTo("web");
    }

    @Test
    void metricsShowNotAfterSuccessProbeTimeDurationAndOpenFindingsByCode() {
        nextFindings.set(List.of(FindingCodes.EXPIRING_SOON, FindingCodes.WEAK_KEY));
        service.probe(endpoint);

        assertThat(registry.get(ProbeMetrics.NOT_AFTER)
                        .tag("certloop_endpoint", "web")
                        .gauge()
                        .value())
                .isEqualTo(NOW.plusSeconds(3_600).getEpochSecond());
        assertThat(registry.get(ProbeMetrics.PROBE_SUCCESS)
                        .tag("certloop_endpoint", "web")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(registry.get(ProbeMetrics.LAST_PROBE)
                        .tag("certloop_endpoint", "web")
                        .gauge()
                        .value())
                .isEqualTo(NOW.toEpochMilli() / 1000.0);
        assertThat(registry.get(ProbeMetrics.PROBE_DURATION)
                        .tag("outcome", ProbeMetrics.REACHABLE)
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(ProbeMetrics.PROBE_DURATION)
                        .tag("outcome", ProbeMetrics.UNREACHABLE)
                        .timer()
                        .count())
                .isZero();
        assertThat(registry.get(ProbeMetrics.OPEN_FINDINGS)
                        .tag("code", FindingCodes.WEAK_KEY)
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(registry.get(ProbeMetrics.OPEN_FINDINGS)
                        .tag("code", FindingCodes.EXPIRED)
                        .gauge()
                        .value())
                .isZero();

        nextFindings.set(List.of());
        service.probe(endpoint);
        assertThat(registry.get(ProbeMetrics.OPEN_FINDINGS)
                        .tag("code", FindingCodes.WEAK_KEY)
                        .gauge()
                        .value())
                .isZero();
    }
}
