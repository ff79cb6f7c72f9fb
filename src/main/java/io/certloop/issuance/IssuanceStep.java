package io.certloop.issuance;

import java.time.Instant;

/**
 * Where an issuance stands after begin or poll. Slow paths (ACME, administrator) return
 * {@link Pending} with the time to poll again, so a BPMN timer can wait instead of a thread.
 */
public sealed interface IssuanceStep permits IssuanceStep.Issued, IssuanceStep.Pending {

    /** Id to poll with: a request id, or the certificate id once issued. */
    String requestId();

    /** Issuance finished. */
    record Issued(String requestId, IssuedCertificate certificate) implements IssuanceStep {}

    /**
     * Not finished. {@code pollAfter} is the earliest sensible poll; {@code csrPem} is set when an
     * administrator must act on it; {@code state} is a short word for operators.
     */
    record Pending(String requestId, String state, Instant pollAfter, String csrPem) implements IssuanceStep {

        public boolean awaitingAdministrator() {
            return csrPem != null;
        }
    }
}
