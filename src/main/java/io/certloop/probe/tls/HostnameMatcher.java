package io.certloop.probe.tls;

import io.certloop.probe.guard.AddressRules;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 6125 name matching against SANs only (the subject CN is ignored, as browsers do). A wildcard
 * is only the whole left-most label, stands for exactly one label, and needs at least two labels
 * after it ({@code *.com} matches nothing).
 */
final class HostnameMatcher {

    private HostnameMatcher() {}

    /** Expected names no SAN covers. */
    static List<String> unmatched(List<String> expectedNames, List<String> sans) {
        List<String> missing = new ArrayList<>();
        for (String expected : expectedNames) {
            if (sans.stream().noneMatch(san -> matches(expected, san))) {
                missing.add(expected);
            }
        }
        return missing;
    }

    static boolean matches(String expectedName, String san) {
        String name = normalize(expectedName);
        String pattern = normalize(san);
        Optional<InetAddress> expectedIp = AddressRules.parseLiteral(name).filter(ip -> looksLikeIp(name));
        if (expectedIp.isPresent()) {
            Optional<InetAddress> sanIp = AddressRules.parseLiteral(pattern).filter(ip -> looksLikeIp(pattern));
            return sanIp.isPresent() && sanIp.get().equals(expectedIp.get());
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (suffix.chars().filter(c -> c == '.').count() < 2) {
            return false;
        }
        if (!name.endsWith(suffix)) {
            return false;
        }
        String label = name.substring(0, name.length() - suffix.length());
        return !label.isEmpty() && !label.contains(".");
    }

    private static boolean looksLikeIp(String value) {
        return value.contains(":") || value.matches("[0-9.]+");
    }

    private static String normalize(String value) {
        String result = value.strip().toLowerCase(Locale.ROOT);
        while (result.endsWith(".")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
