package io.certloop.probe.policy;

import java.util.Optional;

import io.certloop.probe.Finding;

/** One small pure check over a probe report: a finding, or nothing. */
@FunctionalInterface
interface ProbeCheck {

    Optional<Finding> apply(ProbeContext context);
}
