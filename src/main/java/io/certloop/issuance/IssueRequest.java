package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import java.util.List;
import java.util.Locale;

/**
 * One issuance: which endpoint it is for, the names, the profile, which key (an existing custody
 * key id, or a spec for a fresh key; neither means the profile's default), and an idempotency key
 * that makes a retried request return the first result instead of minting again.
 */
public record IssueRequest(
        String endpointName, List<String> names, String profile, String keyId, KeySpec keySpec, String idempotencyKey) {

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
    }

    /** A request for a fresh key of the profile's type. */
    public static IssueRequest of(String endpointName, List<String> names, String profile, String idempotencyKey) {
        return new IssueRequest(endpointName, names, profile, null, null, idempotencyKey);
    }
}
