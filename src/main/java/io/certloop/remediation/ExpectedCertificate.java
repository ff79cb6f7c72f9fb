package io.certloop.remediation;

/** Whether the certificate an endpoint should present can simply be deployed again, and why (not). */
public record ExpectedCertificate(boolean deployable, String certificateId, String sha256, String reason) {}
