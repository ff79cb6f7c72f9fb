package io.certloop.rotation;

/** Published in the transaction that stored the rotation: its runbook starts with it. */
public record RotationRequested(Rotation rotation) {}
