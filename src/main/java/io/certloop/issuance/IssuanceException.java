package io.certloop.issuance;

/**
 * Root of the issuance failure tree. Runbooks route on the subclass: {@link CaUnavailableException}
 * to the CA-outage path, {@link IssuanceRejectedException} to "the CA refused", and
 * {@link AdministratorActionRequiredException} to a human step. Messages carry no key material.
 */
public abstract class IssuanceException extends RuntimeException {

    protected IssuanceException(String message) {
        super(message);
    }

    protected IssuanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
