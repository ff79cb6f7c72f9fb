package io.certloop.inventory;

import java.util.Optional;

/** Tells whether an issuance profile exists and may issue for a name (its allowed domains). */
public interface IssuanceNameRules {

    boolean hasProfile(String profile);

    /** Why {@code profile} may not issue for {@code name}; empty when it may. */
    Optional<String> refusal(String profile, String name);
}
