package io.certloop.system;

import java.time.Duration;

/**
 * The longest one runbook step of a capability can take, from its configured timeouts (a deploy: the reload round
 * it may wait for, its own reload and the service's answer; an ACME step: its calls). The engine's job lock must
 * outlast the longest of them, or a second node (or thread) takes the job over while it still runs.
 */
public interface StepBound {

    /** What the step is, for the start-up log: "deploy and reload (2 x reload-timeout + answer-timeout)". */
    String step();

    /** The longest it can take; zero when the capability is not configured. */
    Duration longest();
}
