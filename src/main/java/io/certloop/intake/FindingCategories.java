package io.certloop.intake;

import io.certloop.incident.Taxonomy;
import java.util.Map;
import java.util.Optional;

/**
 * Which incident each probe finding opens. Finding codes are the probe's; this is the one place
 * that turns them into the taxonomy. Expiry without subcategory is split by environment later.
 */
final class FindingCategories {

    private static final Map<String, CategoryRef> BY_CODE = Map.ofEntries(
            Map.entry("EXPIRED", new CategoryRef(Taxonomy.EXPIRY, null)),
            Map.entry("EXPIRING_SOON", new CategoryRef(Taxonomy.EXPIRY, Taxonomy.EXPIRING)),
            Map.entry("FINGERPRINT_MISMATCH", new CategoryRef(Taxonomy.RENEWED_NOT_DEPLOYED, null)),
            Map.entry("CHAIN_INCOMPLETE", new CategoryRef(Taxonomy.TRUST_MISMATCH, Taxonomy.INTERMEDIATE_NOT_SENT)),
            Map.entry("UNTRUSTED_ROOT", new CategoryRef(Taxonomy.TRUST_MISMATCH, Taxonomy.ROOT_MISSING)),
            Map.entry("REVOKED", new CategoryRef(Taxonomy.REVOCATION_PROPAGATION, null)),
            // names drifted, a key or signature below policy: issued against policy, reissued within it
            Map.entry("NAME_MISMATCH", new CategoryRef(Taxonomy.MIS_ISSUANCE, Taxonomy.AGAINST_POLICY)),
            Map.entry("WEAK_KEY", new CategoryRef(Taxonomy.MIS_ISSUANCE, Taxonomy.AGAINST_POLICY)),
            Map.entry("WEAK_SIGNATURE", new CategoryRef(Taxonomy.MIS_ISSUANCE, Taxonomy.AGAINST_POLICY)),
            // valid only from a future time: the CA did not backdate, or its clock (or ours) is wrong; reissuing
            // from the same CA would repeat it, so a person looks (mis-issuance/ca-error goes to a task)
            Map.entry("NOT_YET_VALID", new CategoryRef(Taxonomy.MIS_ISSUANCE, Taxonomy.CA_ERROR)),
            // the CA's renewal window (RFC 9773) came due, e.g. ahead of a mass revocation: still valid, so a
            // pre-emptive expiry incident whose runbook reissues, deploys and verifies
            Map.entry("RENEWAL_SUGGESTED", new CategoryRef(Taxonomy.EXPIRY, Taxonomy.EXPIRING)));

    private FindingCategories() {}

    /** Empty for findings that open no incident (a self-signed leaf, a failed handshake, inconsistent backends). */
    static Optional<CategoryRef> of(String findingCode) {
        return Optional.ofNullable(findingCode == null ? null : BY_CODE.get(findingCode));
    }
}
