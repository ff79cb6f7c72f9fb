package io.certloop.probe;

/** A probe request names something that cannot be probed as given; the API answers 400 naming the field. */
public class InvalidProbeRequestException extends IllegalArgumentException {

    private final String field;

    public InvalidProbeRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
