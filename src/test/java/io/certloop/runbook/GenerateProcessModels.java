package io.certloop.runbook;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder;
import org.camunda.bpm.model.bpmn.builder.UserTaskBuilder;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;

/**
 * Writes the runbook BPMN files in {@code processes/} (with diagram layout) from the fluent model
 * API. The XML files are what is deployed and reviewed; this is the tool that drew them. Run:
 * {@code java -cp target/test-classes:<test classpath> io.certloop.runbook.GenerateProcessModels}.
 */
public final class GenerateProcessModels {

    private static final String RETRIES = "R3/PT5S";

    public static void main(String[] args) {
        File dir = new File(args.length > 0 ? args[0] : "processes");
        write(expiryIncident(), new File(dir, "expiry-incident.bpmn"));
        write(renewedNotDeployed(), new File(dir, "renewed-not-deployed.bpmn"));
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
