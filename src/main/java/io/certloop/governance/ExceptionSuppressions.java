package io.certloop.governance;

import io.certloop.detection.FindingSuppressions;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Detection asks the exception records which findings are excused; an active, unexpired exception is. */
@Component
class ExceptionSuppressions implements FindingSuppressions {

    private final ExceptionService exceptions;

    ExceptionSuppressions(ExceptionService exceptions) {
        this.exceptions = exceptions;
    }

    @Override
    public Map<String, String> suppressedFindings(String endpointName) {
        return exceptions.suppressions(endpointName);
    }
}
