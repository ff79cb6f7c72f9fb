package io.certloop.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param suppressedBy the id of the policy exception that excuses this finding on this endpoint for now
 *                     ({@code EXC-...}): still shown, opens no incident; null when none does
 */
public record Finding(
        String code,
        String detail,
        Map<String, Object> evidence,
        @JsonInclude(JsonInclude.Include.NON_NULL) String suppressedBy) {

    public Finding {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public Finding(String code, String detail, Map<String, Object> evidence) {
        this(code, detail, evidence, null);
    }

    /** The same finding, marked as excused by an exception. */
    public Finding suppressedBy(String exceptionId) {
        return new Finding(code, detail, evidence, exceptionId);
    }
}
