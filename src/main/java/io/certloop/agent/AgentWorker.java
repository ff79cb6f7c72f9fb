package io.certloop.agent;

import io.certloop.custody.KeySpec;
import io.certloop.deployment.AgentTopics;
import io.certloop.deployment.CertificateMaterial;
import io.certloop.deployment.Deployer;
import io.certloop.deployment.DeploymentException;
import io.certloop.deployment.DeploymentRequest;
import io.certloop.deployment.DeploymentResult;
import io.certloop.deployment.DeploymentTarget;
import io.certloop.deployment.ServiceAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What an agent does for its group's runbook steps. It answers public data only: the CSR, an outcome, the reload
 * action's output. A deployment that fails on this host (reload failed or timed out, the service did not answer, a
 * path outside this host's allowed directories) is rolled back here at once and reported as the BPMN error
 * {@link AgentTopics#FAILURE} with what happened, so the runbook goes down its rollback and escalation path.
 */
final class AgentWorker {

    private static final Logger log = LoggerFactory.getLogger(AgentWorker.class);
    /** Camunda keeps an error message of up to 4000 characters; leave room. */
    private static final int MAX_MESSAGE = 3000;

    private final Deployer deployer;
    private final HostKeyStore keys;

    AgentWorker(Deployer deployer, HostKeyStore keys) {
        this.deployer = deployer;
        this.keys = keys;
    }

    void csr(ExternalTask task, ExternalTaskService service) {
        String requestId = task.getVariable(AgentTopics.REQUEST_ID);
        MDC.put("incident", requestId);
        try {
            List<String> names = Arrays.stream(String.valueOf((Object) task.getVariable(AgentTopics.NAMES))
                            .split(","))
                    .map(String::strip)
                    .filter(n -> !n.isEmpty())
                    .toList();
            KeySpec spec = KeySpec.parse(task.getVariable(AgentTopics.KEY_TYPE));
            String csr = keys.csr(requestId, spec, names);
            log.info("made a {} key for {} on this host; answering its CSR", spec, names);
            service.complete(task, null, Map.of(AgentTopics.CSR, csr));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot make a key for {}: {}", requestId, e.toString());
            service.handleBpmnError(task, AgentTopics.FAILURE, cut("cannot make a key on this host: " + e));
        } finally {
            MDC.remove("incident");
        }
    }

    void deploy(ExternalTask task, ExternalTaskService service) {
        String action = task.getVariable(AgentTopics.ACTION);
        String requestId = task.getVariable(AgentTopics.REQUEST_ID);
        MDC.put("incident", String.valueOf(requestId));
        try {
            switch (String.valueOf(action)) {
                case AgentTopics.ACTION_DEPLOY -> deploy(task, service, requestId);
                case AgentTopics.ACTION_ROLLBACK -> rollback(task, service);
                case AgentTopics.ACTION_RELEASE -> release(task, service, requestId);
                default -> service.handleBpmnError(task, AgentTopics.FAILURE, "unknown agent action " + action);
            }
        } finally {
            MDC.remove("incident");
        }
    }

    private void deploy(ExternalTask task, ExternalTaskService service, String requestId) {
        String deploymentId = task.getVariable(AgentTopics.DEPLOYMENT_ID);
        Path key;
        try {
            key = keys.key(requestId)
                    .orElseThrow(() -> new DeploymentException.InvalidRequest(
                            "the key of " + requestId + " is not on this host (made by another agent of the group?)"));
        } catch (RuntimeException e) {
            service.handleBpmnError(task, AgentTopics.FAILURE, cut("REFUSED: " + e.getMessage()));
            return;
        }
        try {
            Integer port = task.getVariable(AgentTopics.ANSWER_PORT);
            String host = task.getVariable(AgentTopics.ANSWER_HOST);
            String chain = task.getVariable(AgentTopics.CHAIN_PEMS);
            DeploymentResult result = deployer.deploy(new DeploymentRequest(
                    deploymentId,
                    new DeploymentTarget(
                            path(task.getVariable(AgentTopics.CERTIFICATE_PATH)),
                            path(task.getVariable(AgentTopics.CHAIN_PATH)),
                            path(task.getVariable(AgentTopics.FULLCHAIN_PATH)),
                            path(task.getVariable(AgentTopics.KEY_PATH)),
                            task.getVariable(AgentTopics.RELOAD_ACTION)),
                    new CertificateMaterial(task.getVariable(AgentTopics.LEAF_PEM), chainPems(chain)),
                    out -> Files.copy(key, out),
                    host == null || port == null ? null : new ServiceAddress(host, port)));
            String output = result.reload() == null ? "" : result.reload().output();
            if (result.succeeded()) {
                service.complete(
                        task,
                        null,
                        Map.of(AgentTopics.OUTCOME, result.outcome().name(), AgentTopics.OUTPUT, cut(output)));
                return;
            }
            String rolledBack;
            try {
                rolledBack = deployer.rollback(deploymentId).outcome().name();
            } catch (DeploymentException e) {
                rolledBack = "not rolled back: " + e.getMessage();
            }
            service.handleBpmnError(
                    task,
                    AgentTopics.FAILURE,
                    cut(result.outcome() + " (exit "
                            + (result.reload() == null ? "-" : result.reload().exitCode()) + "); rollback on the host "
                            + rolledBack + "; output: " + output));
        } catch (DeploymentException e) {
            // refused before any file was written (path, reload action, request) or the files could not be written
            String kind = e instanceof DeploymentException.Storage ? "STORAGE" : "REFUSED";
            log.warn("deployment {} refused on this host: {}", deploymentId, e.getMessage());
            service.handleBpmnError(task, AgentTopics.FAILURE, cut(kind + ": " + e.getMessage()));
        }
    }

    private void rollback(ExternalTask task, ExternalTaskService service) {
        String ids = task.getVariable(AgentTopics.DEPLOYMENT_ID);
        List<String> outcomes = new ArrayList<>();
        for (String id : String.valueOf(ids).split(",")) {
            if (id.isBlank()) {
                continue;
            }
            try {
                outcomes.add(id + ": " + deployer.rollback(id.strip()).outcome());
            } catch (DeploymentException.NotFound e) {
                outcomes.add(id + ": nothing written");
            } catch (DeploymentException e) {
                outcomes.add(id + ": " + e.getMessage());
            }
        }
        service.complete(
                task,
                null,
                Map.of(AgentTopics.OUTCOME, "ROLLED_BACK", AgentTopics.OUTPUT, cut(String.join("; ", outcomes))));
    }

    private void release(ExternalTask task, ExternalTaskService service, String requestId) {
        String deploymentId = task.getVariable(AgentTopics.DEPLOYMENT_ID);
        String output;
        try {
            output = deployer.release(deploymentId).size() + " kept file(s) deleted";
            keys.forget(requestId);
        } catch (DeploymentException | IOException e) {
            output = "not released: " + e.getMessage();
        }
        service.complete(task, null, Map.of(AgentTopics.OUTCOME, "RELEASED", AgentTopics.OUTPUT, cut(output)));
    }

    private static List<String> chainPems(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        List<String> pems = new ArrayList<>();
        for (String block : joined.split("(?<=-----END CERTIFICATE-----)")) {
            if (block.contains("-----BEGIN CERTIFICATE-----")) {
                pems.add(block.strip() + "\n");
            }
        }
        return pems;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
