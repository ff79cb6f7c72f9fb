package io.certloop.rotation;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.certloop.system.security.Caller;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mass rotations: operators and incident commanders start, pause and resume them; everyone reads their progress.
 * Approval (over the threshold) and halted waves are decided in Tasklist.
 */
@RestController
@RequestMapping("/api/rotations")
class RotationController {

    private final RotationService rotations;

    RotationController(RotationService rotations) {
        this.rotations = rotations;
    }

    /** 202: accepted, its runbook runs (or waits for an approver). */
    @PostMapping
    @RequiresGroup({Groups.OPERATORS, Groups.INCIDENT_COMMANDERS})
    ResponseEntity<Accepted> request(@RequestBody RequestJson body, Caller caller) {
        Rotation rotation = rotations.request(
                new RotationService.Request(
                        body.selector(), body.reason(), body.waveSize(), body.maxFailureRate(), body.profile()),
                caller.userId());
        return ResponseEntity.accepted()
                .location(URI.create("/api/rotations/" + rotation.id()))
                .body(new Accepted(rotation.id(), rotation.state().value(), rotation.waves()));
    }

    @GetMapping
    List<Rotation> list() {
        return rotations.list();
    }

    @GetMapping("/{id}")
    ProgressJson get(@PathVariable String id) {
        return ProgressJson.of(rotations.progress(id));
    }

    @PostMapping("/{id}/pause")
    @RequiresGroup({Groups.OPERATORS, Groups.INCIDENT_COMMANDERS})
    Rotation pause(@PathVariable String id, Caller caller) {
        return rotations.pause(id, caller.userId());
    }

    @PostMapping("/{id}/resume")
    @RequiresGroup({Groups.OPERATORS, Groups.INCIDENT_COMMANDERS})
    Rotation resume(@PathVariable String id, Caller caller) {
        return rotations.resume(id, caller.userId());
    }

    /**
     * @param waveSize       endpoints per wave after the canary (default certloop.rotation.default-wave-size)
     * @param maxFailureRate a wave failing more than this fraction halts the rotation (default
     *                       certloop.rotation.default-max-failure-rate)
     * @param profile        issuance profile of the new certificates (default: each endpoint's own)
     */
    record RequestJson(
            RotationService.Selector selector,
            String reason,
            Integer waveSize,
            Double maxFailureRate,
            String profile) {}

    record Accepted(String id, String state, int waves) {}

    /**
     * @param counts    endpoints per state: pending, in-progress, verified, failed
     * @param timeline  the rotation's hash-chained timeline
     */
    record ProgressJson(
            String id,
            String state,
            String reason,
            @JsonRawValue String selector,
            String profile,
            int waves,
            Integer currentWave,
            int waveSize,
            int canarySize,
            double maxFailureRate,
            boolean approvalRequired,
            String requestedBy,
            Instant requestedAt,
            String decidedBy,
            Instant startedAt,
            Instant finishedAt,
            String processInstanceId,
            Counts counts,
            List<RotationEndpoint> endpoints,
            List<RotationEvent> timeline) {

        static ProgressJson of(RotationService.Progress progress) {
            Rotation r = progress.rotation();
            Map<EndpointState, Long> c = progress.counts();
            return new ProgressJson(
                    r.id(),
                    r.state().value(),
                    r.reason(),
                    r.selector(),
                    r.profile(),
                    r.waves(),
                    r.currentWave(),
                    r.waveSize(),
                    r.canarySize(),
                    r.maxFailureRate(),
                    r.approvalRequired(),
                    r.requestedBy(),
                    r.requestedAt(),
                    r.decidedBy(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.processInstanceId(),
                    new Counts(
                            c.get(EndpointState.PENDING),
                            c.get(EndpointState.IN_PROGRESS),
                            c.get(EndpointState.VERIFIED),
                            c.get(EndpointState.FAILED)),
                    progress.endpoints(),
                    progress.timeline());
        }
    }

    record Counts(long pending, long inProgress, long verified, long failed) {}
}
