package io.certloop.intake;

import io.certloop.detection.EndpointFindingRaised;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The detection loop's new findings start incidents the same way alerts do. */
@Component
class FindingIntakeListener {

    private final IntakeService intake;

    FindingIntakeListener(IntakeService intake) {
        this.intake = intake;
    }

    @EventListener
    void findingRaised(EndpointFindingRaised raised) {
        Map<String, Object> detail = new HashMap<>();
        detail.put("detail", raised.finding().detail());
        detail.put("presentedSha256", String.valueOf(raised.leafSha256()));
        detail.put("raisedAt", raised.raisedAt().toString());
        detail.put("evidence", raised.finding().evidence());
        intake.fromFinding(raised.endpointName(), raised.finding().code(), detail);
    }
}
