package io.certloop.issuance;

/**
 * The issuance port. One implementation per replacement path ({@code internal-ca}, {@code acme},
 * {@code admin-mediated}). Runbooks use begin / timer / poll; the operator API uses the bounded
 * synchronous {@link #issue}. Every method throws only {@link IssuanceException} subclasses for
 * CA trouble, and nothing waits without a deadline.
 */
public interface CertificateIssuer {

    /** The endpoint replacement path this issuer serves. */
    String replacementPath();

    /** Starts (or, for the same idempotency key, resumes) an issuance. */
    IssuanceStep begin(IssueRequest request);

    /** Advances a started issuance by one step without blocking. */
    IssuanceStep poll(String requestId);

    /** Issues within the configured deadline, or throws (timeout is a {@link CaUnavailableException}). */
    IssuedCertificate issue(IssueRequest request);

    /**
     * One bounded question to the CA: does it answer now? Issues nothing. Throws
     * {@link CaUnavailableException} when it does not; an issuer that is CertLoop itself always answers.
     */
    default void checkAvailable() {}
}
