package io.certloop.governance;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewWithin     the PKI board reviews a break-glass within this of its approval (default P2D); the
 *                         review task's due date, escalated to the board and executives when passed
 * @param approversNeeded  distinct approvers a severity needs (for example {@code SEV1: 2}); others need
 *                         {@code defaultApprovers}
 * @param defaultApprovers approvers for severities not listed (default 1)
 */
@ConfigurationProperties("certloop.break-glass")
public record BreakGlassProperties(
        @DefaultValue("P2D") Duration reviewWithin,
        Map<String, Integer> approversNeeded,
        @DefaultValue("1") int defaultApprovers) {

    public BreakGlassProperties {
        approversNeeded = approversNeeded == null ? Map.of() : Map.copyOf(approversNeeded);
        if (defaultApprovers < 1 || approversNeeded.values().stream().anyMatch(n -> n == null || n < 1)) {
            throw new IllegalArgumentException("certloop.break-glass: every severity needs at least one approver");
        }
    }

    /** How many distinct approvers an incident of this severity needs. */
    public int approversFor(String severity) {
        return approversNeeded.getOrDefault(severity, defaultApprovers);
    }
}
