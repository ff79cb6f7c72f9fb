package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.issuance.*}: issuance profiles by name, the deadline of synchronous issuance, and when an
 * issuer counts as down ({@code outage}). A profile issues only for its {@code allowed-domains} and their
 * subdomains ({@link AllowedDomains}); a profile without any issues nothing. A profile with
 * {@code fallback-issuer} may be issued through that issuer while its own is down, and only when an approver
 * decides so.
 */
@ConfigurationProperties("certloop.issuance")
public record IssuanceProperties(
        Map<String, Profile> profiles, @DefaultValue("2m") Duration syncDeadline, Outage outage) {

    /**
     * One profile: validity, key type, the domains it may issue for (empty = none), and the issuer (replacement
     * path, e.g. {@code internal-ca}) that may stand in during an outage of the endpoint's own (null = none).
     */
    public record Profile(
            @DefaultValue("90d") Duration validity,
            @DefaultValue("EC_P256") KeySpec keyType,
            @DefaultValue List<String> allowedDomains,
            String fallbackIssuer) {

        @ConstructorBinding
        public Profile {
            allowedDomains = AllowedDomains.of(allowedDomains == null ? List.of() : allowedDomains)
                    .domains();
            fallbackIssuer = fallbackIssuer == null || fallbackIssuer.isBlank() ? null : fallbackIssuer.strip();
        }

        public Profile(Duration validity, KeySpec keyType, List<String> allowedDomains) {
            this(validity, keyType, allowedDomains, null);
        }

        /** True if this profile may issue for the name (suffix match on whole labels; see {@link AllowedDomains}). */
        public boolean allows(String name) {
            return AllowedDomains.of(allowedDomains).allows(name);
        }
    }

    /**
     * When an issuer counts as down and how often it is asked again.
     *
     * @param failureThreshold    consecutive issuance failures (the CA unreachable or erroring) that open one
     *                            {@code ca-outage} incident for the issuer
     * @param retryAfter          how long a runbook waits before trying the issuer again below the threshold
     * @param healthCheckInterval how often the outage runbook asks the issuer whether it answers again
     */
    public record Outage(
            @DefaultValue("3") int failureThreshold,
            @DefaultValue("1m") Duration retryAfter,
            @DefaultValue("1m") Duration healthCheckInterval) {

        public Outage {
            failureThreshold = Math.max(1, failureThreshold);
            retryAfter = retryAfter == null ? Duration.ofMinutes(1) : retryAfter;
            healthCheckInterval = healthCheckInterval == null ? Duration.ofMinutes(1) : healthCheckInterval;
        }

        public static Outage defaults() {
            return new Outage(3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        }
    }

    @ConstructorBinding
    public IssuanceProperties {
        profiles = profiles == null || profiles.isEmpty()
                ? Map.of("standard", new Profile(Duration.ofDays(90), KeySpec.EC_P256, List.of()))
                : Map.copyOf(profiles);
        syncDeadline = syncDeadline == null ? Duration.ofMinutes(2) : syncDeadline;
        outage = outage == null ? Outage.defaults() : outage;
    }

    public IssuanceProperties(Map<String, Profile> profiles, Duration syncDeadline) {
        this(profiles, syncDeadline, null);
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

    /** The issuer configuration names for the profile to stand in while its own is down; empty when none. */
    public Optional<String> fallbackIssuer(String profile) {
        return Optional.ofNullable(profiles.get(profile)).map(Profile::fallbackIssuer);
    }
}
