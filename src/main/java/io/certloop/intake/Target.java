package io.certloop.intake;

import java.util.Locale;
import java.util.Optional;

/**
 * A TLS target named by an alert's {@code instance} or {@code target} label. blackbox_exporter
 * and friends write it as a URL ({@code https://www.example.com/health}) or as {@code host:port};
 * both are reduced to host and port, 443 when none is given.
 */
record Target(String host, int port) {

    static final int DEFAULT_PORT = 443;

    static Optional<Target> parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String s = raw.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = indexOfAny(s, "/?#");
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            s = s.substring(at + 1);
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                return Optional.empty();
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        } else {
            host = s;
        }
        // 240: what a DNS name may be (253) as far as the triage runbook's business key (TRIAGE-host:port, at most
        // 255 characters) holds it
        if (host.isBlank() || host.length() > 240 || host.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        int number = DEFAULT_PORT;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new Target(host.toLowerCase(Locale.ROOT), number));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
