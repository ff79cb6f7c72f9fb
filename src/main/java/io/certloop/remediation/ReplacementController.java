package io.certloop.remediation;

import io.certloop.deployment.DeploymentException;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceException;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/inventory/endpoints/{id}/replace}: issue, deploy, reload and verify one
 * endpoint now, and answer with the evidence. 200 when the live endpoint presents the issued
 * certificate; 409 with the evidence when it does not (the deployment was rolled back).
 */
@RestController
class ReplacementController {

    private static final String EMERGENCY_PROFILE = "emergency";

    private final RemediationService remediation;
    private final InventoryService inventory;
    private final Duration verifyWithin;

    ReplacementController(
            RemediationService remediation, InventoryService inventory, RemediationProperties properties) {
        this.remediation = remediation;
        this.inventory = inventory;
        this.verifyWithin = properties.verifyWithin();
    }

    @PostMapping("/api/inventory/endpoints/{ref}/replace")
    @RequiresGroup(Groups.OPERATORS)
    ResponseEntity<ReplacementEvidence> replace(
            @PathVariable String ref, @RequestBody(required = false) ReplaceJson body) {
        Endpoint endpoint = inventory.get(ref);
        String profile = body == null || body.profile() == null
                ? endpoint.profile()
                : body.profile().strip();
        if (EMERGENCY_PROFILE.equals(profile) || EMERGENCY_PROFILE.equals(endpoint.profile())) {
            throw new InvalidRequestException(
                    "profile",
                    "the emergency profile is issued only by the break-glass runbook"
                            + " (POST /api/incidents/{id}/break-glass, approved by others), never by /replace");
        }
        if (!profile.equals(endpoint.profile())) {
            throw new InvalidRequestException(
                    "profile",
                    "/replace issues from the endpoint's own profile " + endpoint.profile()
                            + "; change the endpoint to change it");
        }
        String key = "replace-" + endpoint.name() + "-" + UUID.randomUUID();
        ReplacementEvidence evidence = remediation.replace(endpoint.name(), key, verifyWithin);
        return ResponseEntity.status(evidence.succeeded() ? HttpStatus.OK : HttpStatus.CONFLICT)
                .body(evidence);
    }

    /** Optional; {@code profile}, when given, must be the endpoint's own. */
    record ReplaceJson(String profile) {}

    @ExceptionHandler(RemediationException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    ProblemDetail notRemediable(RemediationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Endpoint cannot be replaced automatically");
        return problem;
    }

    @ExceptionHandler(DeploymentException.PathRefused.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    ProblemDetail deploymentRefused(DeploymentException.PathRefused e) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Nothing was deployed: " + e.getMessage());
        problem.setTitle("Deployment path refused");
        problem.setProperty("field", e.field().replaceFirst("^target\\.", "deployment."));
        problem.setProperty("failure", "DEPLOYMENT_REFUSED");
        return problem;
    }

    @ExceptionHandler(CaUnavailableException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    ProblemDetail caUnavailable(CaUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "The certificate authority is unavailable: " + e.getMessage());
        problem.setTitle("CA unavailable");
        problem.setProperty("failure", "CA_UNAVAILABLE");
        return problem;
    }

    @ExceptionHandler(IssuanceException.class)
    @ResponseStatus(HttpStatus.UNPROCESSABLE_ENTITY)
    ProblemDetail issuanceFailed(IssuanceException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_ENTITY, "The certificate authority refused the request: " + e.getMessage());
        problem.setTitle("Issuance refused");
        problem.setProperty("failure", "ISSUANCE_REJECTED");
        return problem;
    }
}
