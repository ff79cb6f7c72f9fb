package io.certloop.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a replacement certificate is obtained; it sets the runbook's timeline (seconds to days). */
public enum ReplacementPath {
    ACME("acme"),
    INTERNAL_CA("internal-ca"),
    ADMIN_MEDIATED("admin-mediated"),
    MANUAL("manual");

    private final String value;

    ReplacementPath(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** True when CertLoop can obtain the certificate without a person in the loop. */
    public boolean automated() {
        return this == ACME || this == INTERNAL_CA;
    }

    public static Optional<ReplacementPath> parse(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    static String allowed() {
        return String.join(
                ", ", Arrays.stream(values()).map(ReplacementPath::value).toList());
    }
}
