package io.certloop.system.security;

import java.util.Optional;

/**
 * Checks credentials against the identity store the process engine uses, so API users, Tasklist
 * users and REST users are one set of people with one set of groups.
 */
public interface Authenticator {

    Optional<Caller> authenticate(String userId, String password);

    /** Makes the caller the current user for engine calls on this thread (task assignee, initiator). */
    void enter(Caller caller);

    void exit();
}
