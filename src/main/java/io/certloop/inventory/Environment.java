package io.certloop.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where an endpoint sits; the expiry taxonomy splits incidents by it. */
public enum Environment {
    PRODUCTION("production"),
    HOT_SPARE("hot-spare"),
    NON_PRODUCTION("non-production");

    private final String value;

    Environment(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<Environment> parse(String value) {
        return Arrays.stream(values()).filter(e -> e.value.equals(value)).findFirst();
    }

    static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(Environment::value).toList());
    }
}
