package io.certloop.custody;

/** No key with this id is held in custody (typo, other environment, or deleted). */
public class UnknownKeyException extends CustodyException {

    public UnknownKeyException(String keyId) {
        super("no key with id " + keyId + " in custody");
    }
}
