package io.certloop.issuance;

/**
 * Thrown by a synchronous issue on the admin-mediated path: CertLoop has made the key and CSR, and
 * a person must now obtain the certificate. Carries the request id and the CSR (public data).
 */
public class AdministratorActionRequiredException extends IssuanceException {

    private final String requestId;
    private final String csrPem;

    public AdministratorActionRequiredException(String requestId, String csrPem) {
        super("request " + requestId + " waits for an administrator to submit the issued certificate");
        this.requestId = requestId;
        this.csrPem = csrPem;
    }

    public String requestId() {
        return requestId;
    }

    public String csrPem() {
        return csrPem;
    }
}
