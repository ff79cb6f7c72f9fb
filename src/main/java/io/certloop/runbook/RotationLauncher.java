package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.rotation.Rotation;
import io.certloop.rotation.RotationRequested;
import io.certloop.rotation.RotationResumed;
import io.certloop.rotation.RotationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Starts {@code mass-rotation} in the transaction that stored the rotation (business key = rotation id), and tells a
 * paused rotation's runbook that it may go on once the resumption is committed (the runbook also looks again at the
 * record every {@code PT30S} while paused, so a lost message only delays it).
 */
@Component
class RotationLauncher {

    static final String MASS_ROTATION = "mass-rotation";
    /** Message the paused runbook waits for. */
    static final String ROTATION_RESUMED_MESSAGE = "rotationResumed";

    private static final Logger log = LoggerFactory.getLogger(RotationLauncher.class);

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final RotationService rotations;
    private final ConflictRetries retries;

    RotationLauncher(
            RuntimeService runtime, IdentityService identity, RotationService rotations, ConflictRetries retries) {
        this.retries = retries;
        this.runtime = runtime;
        this.identity = identity;
        this.rotations = rotations;
    }

    @EventListener
    void rotationRequested(RotationRequested requested) {
        Rotation rotation = requested.rotation();
        Map<String, Object> variables = new HashMap<>();
        variables.put(ROTATION_ID, rotation.id());
        variables.put(REASON, rotation.reason());
        variables.put(REQUESTER, rotation.requestedBy());
        variables.put(APPROVAL_REQUIRED, rotation.approvalRequired());
        variables.put(WAVES, rotation.waves());
        variables.put(ENDPOINT_COUNT, rotations.endpointCount(rotation.id()));
        ProcessInstance instance = AsCertLoop.call(
                identity, () -> runtime.startProcessInstanceByKey(MASS_ROTATION, rotation.id(), variables));
        rotations.attachProcess(rotation.id(), instance.getId());
        log.info("Rotation {}: started {} as process instance {}", rotation.id(), MASS_ROTATION, instance.getId());
    }

    /** A job of the rotation (its timer) may hold the execution: retried on the engine's optimistic-locking conflict. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void rotationResumed(RotationResumed resumed) {
        boolean told = retries.run(() -> AsCertLoop.call(
                identity,
                () -> runtime.createMessageCorrelation(ROTATION_RESUMED_MESSAGE)
                        .processInstanceBusinessKey(resumed.rotationId())
                        .correlateAllWithResult()));
        if (!told) {
            log.warn(
                    "Rotation {} is resumed, but its runbook could not be told after {} attempts; it sees the record"
                            + " at its next look",
                    resumed.rotationId(),
                    ConflictRetries.ATTEMPTS);
        }
    }
}
