package io.certloop.rotation;

/** Published when a paused rotation may go on; its runbook is told after the commit. */
public record RotationResumed(String rotationId, String resumedBy) {}
