package io.certloop.incident;

import io.certloop.inventory.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incident taxonomy in one place. Naming the category early is what lets the right runbook
 * start; each subcategory has its own runbook path. Values are the strings used on the API, in
 * alert labels, in the severity DMN and as process variables.
 */
public final class Taxonomy {

    public static final String EXPIRY = "expiry";
    public static final String RENEWED_NOT_DEPLOYED = "renewed-not-deployed";
    public static final String REVOCATION_PROPAGATION = "revocation-propagation";
    public static final String TRUST_MISMATCH = "trust-mismatch";
    public static final String MIS_ISSUANCE = "mis-issuance";
    public static final String KEY_COMPROMISE = "key-compromise";
    public static final String CA_OUTAGE = "ca-outage";

    /** Expired on a production endpoint: an outage. */
    public static final String EXPIRED_PRODUCTION = "expired-production";
    /** Expired on a hot spare: redundancy lost, no user impact yet. */
    public static final String EXPIRED_HOT_SPARE = "expired-hot-spare";
    /** Expired outside production. */
    public static final String EXPIRED_NON_PRODUCTION = "expired-non-production";
    /** Not yet expired: pre-emptive action. */
    public static final String EXPIRING = "expiring";

    public static final String INTERMEDIATE_NOT_SENT = "intermediate-not-sent";
    public static final String ROOT_MISSING = "root-missing";

    public static final String AGAINST_POLICY = "against-policy";
    public static final String CA_ERROR = "ca-error";

    /** A public (ACME) CA does not answer. */
    public static final String PUBLIC_CA_DOWN = "public-ca-down";
    /** CertLoop's internal CA does not answer. */
    public static final String INTERNAL_CA_DOWN = "internal-ca-down";

    private static final Map<String, List<String>> SUBCATEGORIES = subcategories();

    private Taxonomy() {}

    private static Map<String, List<String>> subcategories() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put(EXPIRY, List.of(EXPIRED_PRODUCTION, EXPIRED_HOT_SPARE, EXPIRED_NON_PRODUCTION, EXPIRING));
        map.put(RENEWED_NOT_DEPLOYED, List.of());
        map.put(
                REVOCATION_PROPAGATION,
                List.of("stale-verifier-cache", "revoked-by-mistake", "uncoordinated-replacement"));
        map.put(
                TRUST_MISMATCH,
                List.of(ROOT_MISSING, INTERMEDIATE_NOT_SENT, "trust-store-incomplete", "client-distrust"));
        map.put(MIS_ISSUANCE, List.of("against-policy", "ca-error", "shadow-pki"));
        map.put(KEY_COMPROMISE, List.of("confirmed", "suspected", "preventive-rotation"));
        map.put(CA_OUTAGE, List.of(PUBLIC_CA_DOWN, INTERNAL_CA_DOWN, "ca-slow"));
        return Map.copyOf(map);
    }

    public static Set<String> categories() {
        return SUBCATEGORIES.keySet();
    }

    public static boolean isCategory(String category) {
        return category != null && SUBCATEGORIES.containsKey(category);
    }

    /** The subcategories a category allows (empty when it has none). */
    public static List<String> subcategoriesOf(String category) {
        return SUBCATEGORIES.getOrDefault(category, List.of());
    }

    /** Expired certificates split by where the endpoint sits; a certificate still valid is {@code expiring}. */
    public static String expirySubcategory(Environment environment, boolean alreadyExpired) {
        if (!alreadyExpired) {
            return EXPIRING;
        }
        return switch (environment) {
            case PRODUCTION -> EXPIRED_PRODUCTION;
            case HOT_SPARE -> EXPIRED_HOT_SPARE;
            case NON_PRODUCTION -> EXPIRED_NON_PRODUCTION;
        };
    }

    /**
     * The subcategory an incident gets: the given one when the category allows it; for expiry
     * without one, derived from the environment (assumed expired: the runbook's first step confirms).
     *
     * @return empty when the category has no subcategory and none was given
     * @throws IllegalArgumentException when the given subcategory does not belong to the category
     */
    public static Optional<String> subcategoryFor(String category, String given, Environment environment) {
        if (given != null && !given.isBlank()) {
            if (!subcategoriesOf(category).contains(given)) {
                throw new IllegalArgumentException("not a subcategory of " + category + "; allowed: "
                        + (subcategoriesOf(category).isEmpty()
                                ? "none"
                                : String.join(", ", subcategoriesOf(category))));
            }
            return Optional.of(given);
        }
        if (EXPIRY.equals(category)) {
            return Optional.of(expirySubcategory(environment, true));
        }
        return Optional.empty();
    }
}
