package io.certloop.probe;

import io.certloop.system.InvalidRequestException;

/** A probe request names something that cannot be probed as given; the API answers 400 naming the field. */
public class InvalidProbeRequestException extends InvalidRequestException {

    public InvalidProbeRequestException(String field, String message) {
        super(field, message);
    }
}
