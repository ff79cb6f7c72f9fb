package io.certloop.runbook;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder;
import org.camunda.bpm.model.bpmn.builder.UserTaskBuilder;
import java.util.Map;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;

/**
 * Writes the runbook BPMN files in {@code processes/} (with diagram layout) from the fluent model
 * API. The XML files are what is deployed and reviewed; this is the tool that drew them. Run:
 * {@code java -cp target/test-classes:<test classpath> io.certloop.runbook.GenerateProcessModels}.
 */
public final class GenerateProcessModels {

    private static final String RETRIES = "R3/PT5S";

    public static void main(String[] args) {
        File dir = new File(args.length > 0 ? args[0] : "processes");
        BpmnModelInstance expiry = expiryIncident();
        layout(expiry, Map.ofEntries(
                cell("incidentOpened", 0, 0), cell("confirmCause", 1, 0), cell("certificateCauseConfirmed", 2, 0),
                cell("reviewNotCertificateIncident", 3, -1), cell("closeNotCertificateIncident", 4, -1),
                cell("notifyClosedNotCertificate", 5, -1), cell("closedAsNotCertificate", 6, -1),
                cell("identifyOwnership", 3, 0), cell("ownersKnownGateway", 4, 0), cell("identifyOwner", 5, 1),
                cell("recordOwner", 6, 1), cell("notifyOwners", 7, 0), cell("replacementPathGateway", 8, 0),
                cell("issueCertificate", 9, 0), cell("issuedGateway", 10, 0), cell("waitForCa", 10, -1),
                cell("pollIssuance", 11, -1), cell("handleCaFailure", 10, 1), cell("caDecisionGateway", 11, 1),
                cell("requestAdministratorCertificate", 9, 2), cell("submitAdministratorCertificate", 10, 2),
                cell("acceptAdministratorCertificate", 11, 2), cell("replaceManually", 12, 3),
                cell("deployCertificate", 12, 0), cell("deployedGateway", 13, 0), cell("verifyDeployment", 14, 0),
                cell("verifiedGateway", 15, 0), cell("waitBeforeReverify", 15, -1), cell("rollbackDeployment", 15, 2),
                cell("escalateFailedReplacement", 16, 2), cell("recordResolution", 16, 0), cell("notifyResolved", 17, 0),
                cell("reviewIncident", 18, 0), cell("closeIncident", 19, 0), cell("notifyClosed", 20, 0),
                cell("incidentClosed", 21, 0)));
        write(expiry, new File(dir, "expiry-incident.bpmn"));
        BpmnModelInstance renewed = renewedNotDeployed();
        layout(renewed, Map.ofEntries(
                cell("fingerprintMismatchDetected", 0, 0), cell("checkExpectedCertificate", 1, 0),
                cell("identifyOwnership", 2, 0), cell("notifyOwners", 3, 0), cell("expectedDeployableGateway", 4, 0),
                cell("deployCertificate", 5, 0), cell("deployedGateway", 6, 0), cell("verifyDeployment", 7, 0),
                cell("verifiedGateway", 8, 0), cell("waitBeforeReverify", 8, -1), cell("rollbackDeployment", 8, 2),
                cell("investigateDeployment", 9, 3), cell("recordResolution", 10, 0), cell("notifyResolved", 11, 0),
                cell("closeIncident", 12, 0), cell("notifyClosed", 13, 0), cell("incidentClosed", 14, 0)));
        write(renewed, new File(dir, "renewed-not-deployed.bpmn"));
    }

    private static Map.Entry<String, int[]> cell(String id, int column, int row) {
        return Map.entry(id, new int[] {column, row});
    }

    /**
     * Places every flow node on a grid (columns of 150 px, rows of 130 px), the event subprocesses
     * below, and draws each sequence flow as an orthogonal line, so Cockpit shows a readable diagram.
     */
    private static void layout(BpmnModelInstance model, Map<String, int[]> grid) {
        int originX = 100;
        int originY = 230;
        Map<String, double[]> boxes = new java.util.HashMap<>();
        for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
            int[] position = grid.get(shape.getBpmnElement().getId());
            if (position == null) {
                continue;
            }
            double width = shape.getBounds().getWidth();
            double height = shape.getBounds().getHeight();
            double centerX = originX + position[0] * 150 + 50;
            double centerY = originY + position[1] * 130 + 40;
            place(shape, boxes, centerX - width / 2, centerY - height / 2);
        }
        // boundary events sit on the bottom edge of their task
        for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
            double[] task = boxes.get(boundary.getAttachedTo().getId());
            place(shape(model, boundary.getId()), boxes, task[0] + task[2] - 40, task[1] + task[3] - 18);
        }
        // event subprocesses in a row under the main flow
        double subX = originX;
        double subY = originY + 4 * 130 + 40;
        for (SubProcess sub : model.getModelElementsByType(SubProcess.class)) {
            place(shape(model, sub.getId()), boxes, subX, subY, 360, 120);
            double x = subX + 30;
            List<FlowNode> nodes = new ArrayList<>(sub.getChildElementsByType(FlowNode.class));
            nodes.sort(java.util.Comparator.comparingInt(n -> n instanceof org.camunda.bpm.model.bpmn.instance.StartEvent ? 0
                    : n instanceof org.camunda.bpm.model.bpmn.instance.EndEvent ? 2 : 1));
            for (FlowNode node : nodes) {
                BpmnShape child = shape(model, node.getId());
                place(child, boxes, x, subY + 60 - child.getBounds().getHeight() / 2);
                x += child.getBounds().getWidth() + 70;
            }
            subX += 420;
        }
        for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
            SequenceFlow flow = (SequenceFlow) edge.getBpmnElement();
            double[] from = boxes.get(flow.getSource().getId());
            double[] to = boxes.get(flow.getTarget().getId());
            List<double[]> points = new ArrayList<>();
            if (flow.getSource() instanceof BoundaryEvent) {
                double startX = from[0] + from[2] / 2;
                double startY = from[1] + from[3];
                points.add(new double[] {startX, startY});
                points.add(new double[] {startX, to[1] + to[3] / 2});
                points.add(new double[] {to[0] + (to[0] > startX ? 0 : to[2]), to[1] + to[3] / 2});
            } else if (Math.abs((to[0] + to[2] / 2) - (from[0] + from[2] / 2)) < 1) {
                // straight up or down in the same column
                double x = from[0] + from[2] / 2;
                boolean down = to[1] > from[1];
                points.add(new double[] {x, down ? from[1] + from[3] : from[1]});
                points.add(new double[] {x, down ? to[1] : to[1] + to[3]});
            } else if (Math.abs((to[1] + to[3] / 2) - (from[1] + from[3] / 2)) < 1 && to[0] < from[0]) {
                // back along the same row: over the top
                double lane = Math.min(from[1], to[1]) - 30;
                points.add(new double[] {from[0] + from[2] / 2, from[1]});
                points.add(new double[] {from[0] + from[2] / 2, lane});
                points.add(new double[] {to[0] + to[2] / 2, lane});
                points.add(new double[] {to[0] + to[2] / 2, to[1]});
            } else if (to[0] > from[0] + from[2]) {
                double startX = from[0] + from[2];
                double startY = from[1] + from[3] / 2;
                double endX = to[0];
                double endY = to[1] + to[3] / 2;
                double middle = Math.abs(startY - endY) < 1 ? startX : startX + 20;
                points.add(new double[] {startX, startY});
                if (Math.abs(startY - endY) >= 1) {
                    points.add(new double[] {middle, startY});
                    points.add(new double[] {middle, endY});
                }
                points.add(new double[] {endX, endY});
            } else {
                // backwards: out of the bottom (or top), along a lane, into the target's bottom (or top)
                boolean above = to[1] + to[3] / 2 < from[1];
                double startX = from[0] + from[2] / 2;
                double startY = above ? from[1] : from[1] + from[3];
                double endX = to[0] + to[2] / 2;
                double endY = above ? to[1] + to[3] : to[1] + to[3];
                double lane = above ? Math.max(startY, endY) - 0 : Math.max(startY, endY) + 25;
                if (above) {
                    points.add(new double[] {startX, startY});
                    points.add(new double[] {startX, (startY + endY) / 2});
                    points.add(new double[] {endX, (startY + endY) / 2});
                    points.add(new double[] {endX, endY});
                } else {
                    points.add(new double[] {startX, startY});
                    points.add(new double[] {startX, lane});
                    points.add(new double[] {endX, lane});
                    points.add(new double[] {endX, endY});
                }
            }
            new ArrayList<>(edge.getWaypoints()).forEach(edge.getWaypoints()::remove);
            for (double[] point : points) {
                Waypoint waypoint = model.newInstance(Waypoint.class);
                waypoint.setX(point[0]);
                waypoint.setY(point[1]);
                edge.getWaypoints().add(waypoint);
            }
            if (edge.getBpmnLabel() != null) {
                edge.removeChildElement(edge.getBpmnLabel());
            }
        }
    }

    private static BpmnShape shape(BpmnModelInstance model, String elementId) {
        return model.getModelElementsByType(BpmnShape.class).stream()
                .filter(s -> s.getBpmnElement().getId().equals(elementId)).findFirst().orElseThrow();
    }

    private static void place(BpmnShape shape, Map<String, double[]> boxes, double x, double y) {
        place(shape, boxes, x, y, shape.getBounds().getWidth(), shape.getBounds().getHeight());
    }

    private static void place(BpmnShape shape, Map<String, double[]> boxes, double x, double y, double width,
            double height) {
        shape.getBounds().setX(x);
        shape.getBounds().setY(y);
        shape.getBounds().setWidth(width);
        shape.getBounds().setHeight(height);
        if (shape.getBpmnLabel() != null) {
            shape.removeChildElement(shape.getBpmnLabel());
        }
        boxes.put(shape.getBpmnElement().getId(), new double[] {x, y, width, height});
    }

    static BpmnModelInstance expiryIncident() {
        var p = Bpmn.createExecutableProcess("expiry-incident")
                .name("Expiry incident")
                .camundaHistoryTimeToLive(400)
                .documentation("Closes an expiry incident from the alert to a verified live endpoint: confirm the cause, "
                        + "identify ownership, determine the replacement path, issue, deploy and reload, verify with a fresh "
                        + "probe, then review.")
                .startEvent("incidentOpened").name("Expiry incident opened");
        ServiceTaskBuilder confirm = service(p.serviceTask("confirmCause").name("Confirm cause with a live probe"), "confirmCauseDelegate");
        confirm.exclusiveGateway("certificateCauseConfirmed").name("Expired or expiring certificate presented?")
                .condition("no", "${!expiryConfirmed}")
                .userTask("reviewNotCertificateIncident").name("Review: not a certificate incident")
                .camundaCandidateGroups("incident-commanders").camundaFormRef("review-not-certificate-incident")
                .camundaFormRefBinding("deployment")
                .serviceTask("closeNotCertificateIncident").name("Close incident").camundaAsyncBefore()
                .camundaDelegateExpression("${closeIncidentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyClosedNotCertificate").name("Notify owners: closed").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "closed")
                .endEvent("closedAsNotCertificate").name("Not a certificate incident");
        var ownership = service(p.moveToNode("certificateCauseConfirmed").condition("yes", "${expiryConfirmed}")
                .serviceTask("identifyOwnership").name("Identify ownership from the inventory"), "identifyOwnershipDelegate");
        ownership.exclusiveGateway("ownersKnownGateway").name("Owners known?")
                .condition("no", "${!ownersKnown}")
                .userTask("identifyOwner").name("Identify the owners").camundaCandidateGroups("incident-commanders")
                .camundaFormRef("identify-owner").camundaFormRefBinding("deployment")
                .serviceTask("recordOwner").name("Record owners in the inventory").camundaAsyncBefore()
                .camundaDelegateExpression("${recordOwnerDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyOwners").name("Notify owners: incident opened").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "opened")
                .exclusiveGateway("replacementPathGateway").name("Replacement path?")
                .condition("automated", "${replacementPath == 'internal-ca' || replacementPath == 'acme'}")
                .serviceTask("issueCertificate").name("Issue replacement").camundaAsyncBefore()
                .camundaDelegateExpression("${beginIssuanceDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .exclusiveGateway("issuedGateway").name("Issued?")
                .condition("pending", "${issuancePending}")
                .intermediateCatchEvent("waitForCa").name("Wait for the CA").timerWithDate("${pollAfter}")
                .serviceTask("pollIssuance").name("Poll issuance").camundaAsyncBefore()
                .camundaDelegateExpression("${pollIssuanceDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .connectTo("issuedGateway")
                .moveToNode("issuedGateway").condition("issued", "${!issuancePending}")
                .serviceTask("deployCertificate").name("Deploy and reload").camundaAsyncBefore()
                .camundaDelegateExpression("${deployCertificateDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .exclusiveGateway("deployedGateway").name("Reload succeeded?")
                .condition("yes", "${deploymentSucceeded}")
                .serviceTask("verifyDeployment").name("Verify with a fresh probe").camundaAsyncBefore()
                .camundaDelegateExpression("${verifyDeploymentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .exclusiveGateway("verifiedGateway").name("Live endpoint presents the issued certificate?")
                .condition("yes", "${verified}")
                .serviceTask("recordResolution").name("Record resolution").camundaAsyncBefore()
                .camundaDelegateExpression("${recordResolutionDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyResolved").name("Notify owners: resolved").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "resolved")
                .userTask("reviewIncident").name("Post-incident review").camundaCandidateGroups("incident-commanders")
                .camundaFormRef("post-incident-review").camundaFormRefBinding("deployment")
                .serviceTask("closeIncident").name("Close incident").camundaAsyncBefore()
                .camundaDelegateExpression("${closeIncidentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyClosed").name("Notify owners: closed").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "closed")
                .endEvent("incidentClosed").name("Incident closed")
                .moveToNode("verifiedGateway").condition("not yet", "${!verified && verifyAttempts < 3}")
                .intermediateCatchEvent("waitBeforeReverify").name("Let the reload settle").timerWithDuration("PT1S")
                .connectTo("verifyDeployment")
                .moveToNode("verifiedGateway").condition("redeploy", "${!verified && automatedDeployment && deployAttempts < 2}")
                .connectTo("deployCertificate")
                .moveToNode("verifiedGateway").condition("give up", "${!verified && (!automatedDeployment || deployAttempts >= 2)}")
                .serviceTask("rollbackDeployment").name("Roll back").camundaAsyncBefore()
                .camundaDelegateExpression("${rollbackDeploymentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .userTask("escalateFailedReplacement").name("Escalation: replacement not verified")
                .camundaCandidateGroups("incident-commanders").camundaFormRef("escalate-failed-replacement")
                .camundaFormRefBinding("deployment")
                .connectTo("verifyDeployment")
                .moveToNode("deployedGateway").condition("no", "${!deploymentSucceeded}")
                .connectTo("rollbackDeployment")
                .moveToNode("ownersKnownGateway").condition("yes", "${ownersKnown}")
                .connectTo("notifyOwners")
                .moveToNode("replacementPathGateway").condition("admin-mediated", "${replacementPath == 'admin-mediated'}")
                .serviceTask("requestAdministratorCertificate").name("Generate key and CSR").camundaAsyncBefore()
                .camundaDelegateExpression("${beginIssuanceDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .userTask("submitAdministratorCertificate").name("Obtain the certificate for the CSR")
                .camundaCandidateGroups("approvers").camundaFormRef("submit-administrator-certificate")
                .camundaFormRefBinding("deployment")
                .serviceTask("acceptAdministratorCertificate").name("Validate the submitted certificate").camundaAsyncBefore()
                .camundaDelegateExpression("${acceptAdministratorCertificateDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .connectTo("deployCertificate")
                .moveToNode("replacementPathGateway").condition("manual", "${replacementPath == 'manual'}")
                .userTask("replaceManually").name("Replace the certificate by hand").camundaCandidateGroups("operators")
                .camundaFormRef("replace-manually").camundaFormRefBinding("deployment")
                .connectTo("verifyDeployment")
                .done();
        BpmnModelInstance model = p.done();
        AbstractFlowNodeBuilder<?, ?> builder = model.<org.camunda.bpm.model.bpmn.instance.ServiceTask>getModelElementById("issueCertificate").builder();
        builder.moveToActivity("issueCertificate").boundaryEvent("caFailedOnIssue").name("CA failure").error("CA_FAILURE")
                .userTask("handleCaFailure").name("CA failure: retry or go manual").camundaCandidateGroups("incident-commanders")
                .camundaFormRef("handle-ca-failure").camundaFormRefBinding("deployment")
                .exclusiveGateway("caDecisionGateway").name("Decision?")
                .condition("retry", "${caDecision == 'retry'}").connectTo("issueCertificate")
                .moveToNode("caDecisionGateway").condition("manual", "${caDecision == 'manual'}").connectTo("replaceManually");
        builder.moveToActivity("pollIssuance").boundaryEvent("caFailedOnPoll").name("CA failure").error("CA_FAILURE")
                .connectTo("handleCaFailure");
        builder.moveToActivity("requestAdministratorCertificate").boundaryEvent("caFailedOnRequest").name("CA failure")
                .error("CA_FAILURE").connectTo("handleCaFailure");
        builder.moveToActivity("acceptAdministratorCertificate").boundaryEvent("certificateRefused").name("Certificate refused")
                .error("CERTIFICATE_REFUSED").connectTo("submitAdministratorCertificate");
        timers(model);
        return model;
    }

    static BpmnModelInstance renewedNotDeployed() {
        var p = Bpmn.createExecutableProcess("renewed-not-deployed")
                .name("Renewed but not deployed")
                .camundaHistoryTimeToLive(400)
                .documentation("The inventory expects a certificate the endpoint does not present: redeploy the expected "
                        + "certificate, reload, verify; if the loop does not close, the service owner investigates and "
                        + "the task only completes on a passing live probe.")
                .startEvent("fingerprintMismatchDetected").name("Fingerprint mismatch detected");
        service(p.serviceTask("checkExpectedCertificate").name("Check the expected certificate is deployable"),
                "checkExpectedCertificateDelegate")
                .serviceTask("identifyOwnership").name("Identify ownership from the inventory").camundaAsyncBefore()
                .camundaDelegateExpression("${identifyOwnershipDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyOwners").name("Notify owners: incident opened").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "opened")
                .exclusiveGateway("expectedDeployableGateway").name("Expected certificate deployable?")
                .condition("yes", "${expectedDeployable}")
                .serviceTask("deployCertificate").name("Redeploy and reload").camundaAsyncBefore()
                .camundaDelegateExpression("${deployCertificateDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .exclusiveGateway("deployedGateway").name("Reload succeeded?")
                .condition("yes", "${deploymentSucceeded}")
                .serviceTask("verifyDeployment").name("Verify with a fresh probe").camundaAsyncBefore()
                .camundaDelegateExpression("${verifyDeploymentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .exclusiveGateway("verifiedGateway").name("Live endpoint presents the expected certificate?")
                .condition("yes", "${verified}")
                .serviceTask("recordResolution").name("Record resolution").camundaAsyncBefore()
                .camundaDelegateExpression("${recordResolutionDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyResolved").name("Notify owners: resolved").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "resolved")
                .serviceTask("closeIncident").name("Close incident").camundaAsyncBefore()
                .camundaDelegateExpression("${closeIncidentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .serviceTask("notifyClosed").name("Notify owners: closed").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "closed")
                .endEvent("incidentClosed").name("Incident closed")
                .moveToNode("verifiedGateway").condition("not yet", "${!verified && verifyAttempts < 3}")
                .intermediateCatchEvent("waitBeforeReverify").name("Let the reload settle").timerWithDuration("PT1S")
                .connectTo("verifyDeployment")
                .moveToNode("verifiedGateway").condition("loop not closed", "${!verified && verifyAttempts >= 3}")
                .serviceTask("rollbackDeployment").name("Roll back").camundaAsyncBefore()
                .camundaDelegateExpression("${rollbackDeploymentDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .userTask("investigateDeployment").name("Investigate: binding, reload, trust store, propagation")
                .camundaCandidateGroups("operators").camundaFormRef("investigate-deployment")
                .camundaFormRefBinding("deployment")
                .camundaTaskListenerDelegateExpression("complete", "${requireLiveVerificationListener}")
                .connectTo("recordResolution")
                .moveToNode("deployedGateway").condition("no", "${!deploymentSucceeded}")
                .connectTo("rollbackDeployment")
                .moveToNode("expectedDeployableGateway").condition("no", "${!expectedDeployable}")
                .connectTo("investigateDeployment")
                .done();
        BpmnModelInstance model = p.done();
        timers(model);
        return model;
    }

    private static ServiceTaskBuilder service(ServiceTaskBuilder task, String delegate) {
        return task.camundaAsyncBefore().camundaDelegateExpression("${" + delegate + "}")
                .camundaFailedJobRetryTimeCycle(RETRIES);
    }

    /** SLA escalation and status updates: non-interrupting timers from the severity policy. */
    private static void timers(BpmnModelInstance model) {
        var process = model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class).iterator().next();
        process.builder().eventSubProcess("responseSlaWatch").startEvent("responseSlaPassed").name("Response SLA passed")
                .interrupting(false).timerWithDuration("${responseSla}")
                .serviceTask("escalateToCommander").name("Escalate to the incident commander").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "escalated")
                .endEvent("escalated").name("Escalated");
        process.builder().eventSubProcess("statusUpdates").startEvent("updateDue").name("Status update due")
                .interrupting(false).timerWithCycle("R/${updateCadence}")
                .serviceTask("sendStatusUpdate").name("Send status update").camundaAsyncBefore()
                .camundaDelegateExpression("${notifyOwnersDelegate}").camundaFailedJobRetryTimeCycle(RETRIES)
                .camundaInputParameter("notificationKind", "status-update")
                .endEvent("statusUpdateSent").name("Status update sent");
    }

    private static void write(BpmnModelInstance model, File file) {
        List<SequenceFlow> flows = new ArrayList<>(model.getModelElementsByType(SequenceFlow.class));
        for (SequenceFlow flow : flows) {
            String id = flow.getSource().getId() + "To" + Character.toUpperCase(flow.getTarget().getId().charAt(0))
                    + flow.getTarget().getId().substring(1);
            flow.setId(id);
        }
        Bpmn.validateModel(model);
        Bpmn.writeModelToFile(file, model);
    }

    private GenerateProcessModels() {
    }
}
