package io.certloop.runbook;

import java.util.Optional;

/**
 * Who asked for what a governance process decides (an exception, a break-glass replacement), read from
 * CertLoop's own record of the request: a process variable could be changed by whoever may write
 * variables, the record cannot.
 */
interface Requesters {

    /** Empty when no record names this process instance. */
    Optional<String> requesterOf(String processInstanceId);
}
