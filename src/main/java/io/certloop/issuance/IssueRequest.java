package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import java.util.List;
import java.util.Locale;

/**
 * One issuance: which endpoint it is for, the names, the profile, which key (an existing custody
 * key id, or a spec for a fresh key; neither means the profile's default; or a CSR whose key was born and stays on
 * the service's host), and an idempotency key that makes a retried request return the first result instead of
 * minting again.
 *
 * @param csrPem a PKCS#10 request signed by a key held elsewhere (an agent's host); the certificate is issued for
 *     its public key and for {@code names}, never for names the CSR asks for; {@code null}: a key in custody
 */
public record IssueRequest(
        String endpointName,
        List<String> names,
        String profile,
        String keyId,
        KeySpec keySpec,
        String idempotencyKey,
        String csrPem) {

    public static final String DEFAULT_PROFILE = "standard";

    public IssueRequest {
        if (endpointName == null || endpointName.isBlank()) {
            throw new IllegalArgumentException("endpointName is required");
        }
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("names must not be empty");
        }
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw new IllegalArgumentException("idempotencyKey is required (1..200 characters)");
        }
        names = names.stream()
                .map(n -> n.trim().toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
        profile = profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile;
        if (csrPem != null && (keyId != null || keySpec != null)) {
            throw new IllegalArgumentException("a CSR brings its own key: keyId and keySpec must be null");
        }
    }

    public IssueRequest(
            String endpointName,
            List<String> names,
            String profile,
            String keyId,
            KeySpec keySpec,
            String idempotencyKey) {
        this(endpointName, names, profile, keyId, keySpec, idempotencyKey, null);
    }

    /** A request for a fresh key of the profile's type. */
    public static IssueRequest of(String endpointName, List<String> names, String profile, String idempotencyKey) {
        return new IssueRequest(endpointName, names, profile, null, null, idempotencyKey, null);
    }

    /** A request for the public key of a CSR whose private key never leaves the host that made it. */
    public static IssueRequest forCsr(
            String endpointName, List<String> names, String profile, String idempotencyKey, String csrPem) {
        return new IssueRequest(endpointName, names, profile, null, null, idempotencyKey, csrPem);
    }

    /** Whether the key is held elsewhere (an agent's host) and only its CSR is here. */
    public boolean keyHeldElsewhere() {
        return csrPem != null;
    }
}
