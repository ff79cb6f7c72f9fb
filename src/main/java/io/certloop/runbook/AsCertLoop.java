package io.certloop.runbook;

import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * Runs engine calls as CertLoop itself, whoever made the request: policy evaluation and runbook
 * starts must not depend on the caller's engine authorizations. The caller is restored afterwards.
 */
final class AsCertLoop {

    private AsCertLoop() {}

    static <T> T call(IdentityService identity, Supplier<T> action) {
        Authentication caller = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            return action.get();
        } finally {
            if (caller != null) {
                identity.setAuthentication(caller);
            }
        }
    }
}
