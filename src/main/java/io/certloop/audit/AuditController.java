package io.certloop.audit;

import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Audit API: auditors (and administrators) only. */
@RestController
@RequestMapping("/api/audit")
@RequiresGroup(Groups.AUDITORS)
class AuditController {

    private final ChainVerifier verifier;

    AuditController(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    /** Checks every hash chain and its authenticated head. */
    @GetMapping("/verify")
    Verification verify() {
        return verifier.verifyAll();
    }
}
