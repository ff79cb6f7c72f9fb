package io.certloop.issuance;

import io.certloop.custody.KeySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.issuance.*}: issuance profiles by name and the deadline of synchronous issuance.
 * A profile with {@code allowed-domains} only issues for those domains and their subdomains (the
 * emergency profile is constrained this way).
 */
@ConfigurationProperties("certloop.issuance")
public record IssuanceProperties(
        Map<String, Profile> profiles, @DefaultValue("2m") Duration syncDeadline) {

    /** One profile: validity, key type, and the domains it may issue for (empty = any). */
    public record Profile(
            @DefaultValue("90d") Duration validity,
            @DefaultValue("EC_P256") KeySpec keyType,
            @DefaultValue List<String> allowedDomains) {

        public Profile {
            allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
        }

        /** True if this profile may issue for the name. */
        public boolean allows(String name) {
            return allowedDomains.isEmpty()
                    || allowedDomains.stream().anyMatch(domain -> name.equals(domain) || name.endsWith("." + domain));
        }
    }

    public IssuanceProperties {
        profiles = profiles == null || profiles.isEmpty()
                ? Map.of("standard", new Profile(Duration.ofDays(90), KeySpec.EC_P256, List.of()))
                : Map.copyOf(profiles);
        syncDeadline = syncDeadline == null ? Duration.ofMinutes(2) : syncDeadline;
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
