package io.certloop.rotation;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A mass rotation: every inventory endpoint its selector matched, replaced wave by wave (a canary wave 0 first)
 * through each endpoint's own replacement path and verified live. Its id ({@code ROT-2026-000001}) is the business
 * key of its {@code mass-rotation} process.
 *
 * @param selector       the selector as requested, as JSON
 * @param profile        the issuance profile of the new certificates; null = each endpoint's own
 * @param waves          how many waves, the canary included
 * @param currentWave    the wave running or last run; null before the first
 */
public record Rotation(
        String id,
        String reason,
        @JsonRawValue String selector,
        String profile,
        int waveSize,
        int canarySize,
        double maxFailureRate,
        int waves,
        RotationState state,
        boolean approvalRequired,
        String requestedBy,
        Instant requestedAt,
        String decidedBy,
        Instant decidedAt,
        String decisionComment,
        Integer currentWave,
        Instant startedAt,
        Instant finishedAt,
        String processInstanceId,
        Instant updatedAt) {}
