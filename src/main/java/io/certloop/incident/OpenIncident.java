package io.certloop.incident;

import java.util.Map;

/**
 * A request to open an incident, from whatever source.
 *
 * @param subcategory null to derive it (expiry: from the endpoint's environment)
 * @param source      {@code operator}, {@code alertmanager}, {@code probe}
 * @param actor       who asked: a user id, or {@code certloop} for the detection loop
 * @param evidence    what triggered it (alert labels, finding detail); kept on the timeline
 */
public record OpenIncident(
        String endpoint,
        String category,
        String subcategory,
        String reason,
        String source,
        String actor,
        Map<String, ?> evidence) {

    public OpenIncident {
        evidence = evidence == null ? Map.of() : evidence;
    }
}
