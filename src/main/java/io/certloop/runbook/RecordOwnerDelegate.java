package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Writes the owners the incident commander found back into the inventory, so nobody has to ask again. */
@Component("recordOwnerDelegate")
class RecordOwnerDelegate extends RunbookDelegate {

    private final InventoryService inventory;
    private final IncidentLog incidents;

    RecordOwnerDelegate(InventoryService inventory, IncidentLog incidents) {
        this.inventory = inventory;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        Owner service = owner(string(execution, SERVICE_OWNER_TEAM), string(execution, SERVICE_OWNER_EMAIL));
        Owner certificate =
                owner(string(execution, CERTIFICATE_OWNER_TEAM), string(execution, CERTIFICATE_OWNER_EMAIL));
        inventory.recordOwners(endpointOfIncident(execution, incidents), service, certificate);
        execution.setVariable(OWNERS_KNOWN, true);
        Map<String, Object> detail = new HashMap<>();
        detail.put("serviceOwner", service == null ? "unchanged" : service.team() + " <" + service.email() + ">");
        detail.put(
                "certificateOwner",
                certificate == null ? "unchanged" : certificate.team() + " <" + certificate.email() + ">");
        incidents.record(incidentId(execution), TimelineTypes.OWNER_RECORDED, detail);
    }

    private static Owner owner(String team, String email) {
        return (team == null || team.isBlank()) && (email == null || email.isBlank()) ? null : new Owner(team, email);
    }
}
