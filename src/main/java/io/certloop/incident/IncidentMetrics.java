package io.certloop.incident;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * {@code certloop_incidents_open{category, severity}}: open incidents by taxonomy category and severity
 * level, every combination present (zero included) so alert rules and dashboards need no
 * {@code absent()}. Counted in the database, so every node of a cluster reports the same figures;
 * one query serves a whole scrape (the counts are reused for a second).
 */
@Component
class IncidentMetrics {

    static final String OPEN = "certloop.incidents.open";
    static final List<String> LEVELS = List.of(Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4);
    private static final long REUSE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Logger log = LoggerFactory.getLogger(IncidentMetrics.class);

    private final IncidentRepository repository;
    private volatile Map<String, Long> counts = Map.of();
    private volatile long countedAt;
    private volatile boolean counted;

    IncidentMetrics(IncidentRepository repository, MeterRegistry registry) {
        this.repository = repository;
        for (String category : Taxonomy.categories()) {
            for (String level : LEVELS) {
                Gauge.builder(OPEN, this, metrics -> metrics.count(category, level))
                        .tag("category", category)
                        .tag("severity", level)
                        .description("Open incidents (not yet resolved) by category and severity")
                        .register(registry);
            }
        }
    }

    private double count(String category, String level) {
        return refreshed().getOrDefault(key(category, level), 0L);
    }

    private synchronized Map<String, Long> refreshed() {
        long now = System.nanoTime();
        if (!counted || now - countedAt > REUSE_NANOS) {
            try {
                Map<String, Long> fresh = new HashMap<>();
                repository.countOpen().forEach(c -> fresh.merge(key(c.category(), c.severity()), c.count(), Long::sum));
                counts = Map.copyOf(fresh);
            } catch (DataAccessException e) {
                log.warn(
                        "Could not count open incidents for the metrics; reporting the last counts: {}",
                        e.getMessage());
            }
            counted = true;
            countedAt = now;
        }
        return counts;
    }

    private static String key(String category, String level) {
        return category + "|" + level;
    }
}
