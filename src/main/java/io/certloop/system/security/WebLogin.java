package io.certloop.system.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The browser login CertLoop's own pages share with the webapps (Cockpit, Tasklist): one session, one login. A
 * person logged in to the webapps reads the pages without logging in again, and logging in on a page logs in to
 * the webapps too.
 */
public interface WebLogin {

    /** The user of this browser session, if one logged in. */
    Optional<Caller> current(HttpServletRequest request);

    /**
     * Checks the password as the webapps' login does (the engine's per-user delays apply); on success the session is
     * replaced by a new one (no fixation) in which the user is logged in.
     */
    Optional<Caller> login(HttpServletRequest request, String userId, String password);
}
