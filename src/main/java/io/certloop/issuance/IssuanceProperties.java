package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.issuance.*}: issuance profiles by name and the deadline of synchronous issuance.
 * A profile issues only for its {@code allowed-domains} and their subdomains ({@link AllowedDomains}); a profile
 * without any issues nothing.
 */
@ConfigurationProperties("certloop.issuance")
public record IssuanceProperties(
        Map<String, Profile> profiles, @DefaultValue("2m") Duration syncDeadline) {

    /** One profile: validity, key type, and the domains it may issue for (empty = none). */
    public record Profile(
            @DefaultValue("90d") Duration validity,
            @DefaultValue("EC_P256") KeySpec keyType,
            @DefaultValue List<String> allowedDomains) {

        public Profile {
            allowedDomains = AllowedDomains.of(allowedDomains == null ? List.of() : allowedDomains)
                    .domains();
        }

        /** True if this profile may issue for the name (suffix match on whole labels; see {@link AllowedDomains}). */
        public boolean allows(String name) {
            return AllowedDomains.of(allowedDomains).allows(name);
        }
    }

    public IssuanceProperties {
        profiles = profiles == null || profiles.isEmpty()
                ? Map.of("standard", new Profile(Duration.ofDays(90), KeySpec.EC_P256, List.of()))
                : Map.copyOf(profiles);
        syncDeadline = syncDeadline == null ? Duration.ofMinutes(2) : syncDeadline;
    }

    /**
     * The request's profile, once every name of the request is within its allowed domains; refused (policy, never
     * retried) otherwise. Every issuer asks this before it makes a key or talks to a CA.
     */
    public Profile permitted(IssueRequest request) {
        Profile profile = profile(request.profile());
        for (String name : request.names()) {
            if (!profile.allows(name)) {
                throw new IssuanceRejectedException(
                        "profile '" + request.profile() + "' may not issue for '" + name + "': " + outside(profile));
            }
        }
        return profile;
    }

    /** Why the named profile may not issue for {@code name}; empty when it may. */
    public Optional<String> refusal(String profileName, String name) {
        Profile profile = profiles.get(profileName);
        if (profile == null) {
            return Optional.of(
                    "names no issuance profile configured (certloop.issuance.profiles): " + profiles.keySet());
        }
        return profile.allows(name)
                ? Optional.empty()
                : Optional.of("'" + name + "' is outside the domains of issuance profile '" + profileName + "': "
                        + outside(profile));
    }

    public boolean hasProfile(String name) {
        return profiles.containsKey(name);
    }

    private static String outside(Profile profile) {
        return profile.allowedDomains().isEmpty()
                ? "the profile has no allowed-domains, so it issues nothing"
                : "allowed domains (and their subdomains) " + profile.allowedDomains();
    }

    /** The named profile; an unknown name is refused (policy), not defaulted. */
    public Profile profile(String name) {
        Profile profile = profiles.get(name);
        if (profile == null) {
            throw new IssuanceRejectedException(
                    "unknown issuance profile '" + name + "'; configured: " + profiles.keySet());
        }
        return profile;
    }
}
