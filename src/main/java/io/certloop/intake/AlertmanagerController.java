package io.certloop.intake;

import io.certloop.system.security.Caller;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alertmanager's webhook receiver. Alertmanager calls it with basic auth of a service user in
 * {@code alert-senders} (which may call nothing else); 202 because the runbooks do the work afterwards.
 */
@RestController
class AlertmanagerController {

    private final IntakeService intake;

    AlertmanagerController(IntakeService intake) {
        this.intake = intake;
    }

    @PostMapping("/api/alerts/alertmanager")
    @RequiresGroup({Groups.OPERATORS, Groups.ALERT_SENDERS})
    @ResponseStatus(HttpStatus.ACCEPTED)
    AlertIntakeResult receive(@RequestBody AlertmanagerPayload payload, Caller caller) {
        return intake.fromAlertmanager(payload, caller.userId());
    }
}
