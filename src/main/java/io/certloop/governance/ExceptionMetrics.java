package io.certloop.governance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code certloop_exceptions_active}: how many policy exceptions hold now. A suppressed finding still
 * shows in probe results; this tells a dashboard how much of the estate is excused.
 */
@Component
class ExceptionMetrics {

    static final String ACTIVE = "certloop.exceptions.active";

    ExceptionMetrics(MeterRegistry registry, ExceptionService exceptions) {
        Gauge.builder(ACTIVE, exceptions, ExceptionService::countActive)
                .description("Policy exceptions approved by the PKI board and not yet expired or revoked")
                .register(registry);
    }
}
