package io.certloop.issuance;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names an issuance profile may put in a certificate. A domain allows itself and every name below it, matched
 * on whole DNS labels: {@code example.com} allows {@code example.com} and {@code a.example.com}, never
 * {@code badexample.com}. A wildcard name is judged by its base ({@code *.example.com} by {@code example.com}), so
 * a wildcard never covers more than the domains allow. IP addresses match an entry only exactly. No domains: no
 * name at all (a profile without {@code allowed-domains} issues nothing).
 */
public final class AllowedDomains {

    private static final Pattern LABELS =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final List<String> domains;

    private AllowedDomains(List<String> domains) {
        this.domains = domains;
    }

    /**
     * Domains from configuration: DNS names (or IP addresses), case and a trailing dot ignored. A wildcard or any
     * other pattern is refused: a domain already allows everything below it.
     */
    public static AllowedDomains of(List<String> configured) {
        return new AllowedDomains(configured.stream()
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .map(d -> {
                    String domain = normalized(d);
                    if (!isAddress(domain) && !LABELS.matcher(domain).matches()) {
                        throw new IllegalArgumentException("allowed-domains lists DNS domains such as example.com"
                                + " (which allows its subdomains too) or IP addresses, was '" + d + "'");
                    }
                    return domain;
                })
                .distinct()
                .toList());
    }

    public List<String> domains() {
        return domains;
    }

    /** True if a certificate may name {@code name}. */
    public boolean allows(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        String candidate = normalized(name);
        if (candidate.startsWith("*.")) {
            candidate = candidate.substring(2);
        }
        if (isAddress(candidate)) {
            String address = candidate;
            return domains.stream().anyMatch(address::equals);
        }
        if (candidate.contains("*")) {
            return false;
        }
        String dns = candidate;
        return domains.stream()
                .filter(domain -> !isAddress(domain))
                .anyMatch(domain -> dns.equals(domain) || dns.endsWith("." + domain));
    }

    private static String normalized(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static boolean isAddress(String value) {
        return IPV4.matcher(value).matches() || value.contains(":");
    }

    @Override
    public String toString() {
        return domains.toString();
    }
}
