package io.certloop.probe.policy;

import io.certloop.probe.Finding;
import java.util.Optional;

/** One small pure check over a probe report: a finding, or nothing. */
@FunctionalInterface
interface ProbeCheck {

    Optional<Finding> apply(ProbeContext context);
}
