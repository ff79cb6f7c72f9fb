package io.certloop.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing wrong with what an endpoint presents, with the evidence it rests on, so an alert or
 * runbook can act on it and an incident review can see why it was raised.
 *
 * @param code one of {@link FindingCodes}
 * @param detail a sentence for humans
 * @param evidence the facts behind it (fingerprints, dates, names)
 */
public record Finding(String code, String detail, Map<String, Object> evidence) {

    public Finding {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
