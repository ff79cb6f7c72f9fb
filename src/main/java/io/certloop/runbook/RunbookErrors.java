package io.certloop.runbook;

/** BPMN error codes: business outcomes the processes model, never technical faults. */
final class RunbookErrors {

    /** The CA is unreachable, erroring or refused the request: route to the CA-failure path. */
    static final String CA_FAILURE = "CA_FAILURE";
    /** The certificate an administrator submitted does not fit the request. */
    static final String CERTIFICATE_REFUSED = "CERTIFICATE_REFUSED";

    private RunbookErrors() {}
}
