package io.certloop.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.support.PostgresIntegrationTest;
import io.certloop.system.ConflictException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The service the runbooks call, on the real PostgreSQL: state changes and race-safe dedupe. */
class IncidentLifecycleIT extends PostgresIntegrationTest {

    @Autowired
    private IncidentService incidents;

    @Test
    void aResolvedIncidentNoLongerAbsorbsNewAlertsAndCanBeClosed() {
        String endpoint = endpoint();
        Incident first = incidents.open(request(endpoint, "first")).incident();
        incidents.attachProcess(first.id(), "proc-1");
        incidents.attachProcess(first.id(), "proc-1");
        incidents.record(first.id(), "probe", Map.of("sha256", "ab12"));

        Incident resolved = incidents.resolve(first.id(), "live endpoint presents the new certificate");
        assertThat(incidents.resolve(first.id(), "again").resolvedAt()).isEqualTo(resolved.resolvedAt());
        assertThat(resolved.state()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolved.processInstanceId()).isEqualTo("proc-1");
        assertThat(incidents.findOpen(endpoint, "expiry")).isEmpty();

        Opening second = incidents.open(request(endpoint, "expired again"));
        assertThat(second.deduplicated()).isFalse();
        assertThat(second.incident().id()).isNotEqualTo(first.id());
        assertThat(incidents.findOpen(endpoint, "expiry"))
                .map(Incident::id)
                .contains(second.incident().id());

        Incident closed = incidents.close(first.id(), "otto", "reviewed: renewal failed silently");
        assertThat(closed.state()).isEqualTo(IncidentState.CLOSED);
        assertThatThrownBy(() -> incidents.resolve(first.id(), "late")).isInstanceOf(ConflictException.class);
        // the runbook started for the incident adds its own steps in between
        assertThat(incidents.timeline(first.id()))
                .extracting(TimelineEntry::type)
                .containsSubsequence("opened", "probe", "resolved", "closed");
    }

    @Test
    void twoNodesOpeningTheSameIncidentAtOnceGetOneIncident() throws Exception {
        String endpoint = endpoint();
        int callers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Opening>> results = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return incidents.open(request(endpoint, "caller " + n));
                }));
            }
            start.countDown();
            List<Opening> openings = new java.util.ArrayList<>();
            for (Future<Opening> result : results) {
                openings.add(result.get());
            }
            assertThat(openings)
                    .extracting(o -> o.incident().id())
                    .containsOnly(openings.get(0).incident().id());
            assertThat(openings).filteredOn(o -> !o.deduplicated()).hasSize(1);
            assertThat(incidents.list(null, endpoint)).hasSize(1);
            assertThat(incidents.timeline(openings.get(0).incident().id()))
                    .filteredOn(entry ->
                            entry.type().equals("opened") || entry.type().equals("repeated"))
                    .hasSize(callers);
        } finally {
            pool.shutdownNow();
        }
    }

    private static OpenIncident request(String endpoint, String reason) {
        return new OpenIncident(endpoint, "expiry", null, reason, "probe", null, Map.of());
    }

    private String endpoint() {
        String name = "life-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", name + ".example.test");
        request.put("port", 443);
        request.put("tier", 0);
        request.put("environment", "production");
        request.put("replacementPath", "manual");
        request.put("profile", "standard");
        var created = admin.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }
}
