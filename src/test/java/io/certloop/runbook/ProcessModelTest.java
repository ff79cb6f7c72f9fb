package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.incident.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every process in {@code processes/} follows the house rules the engine does not enforce. */
class ProcessModelTest {

    private static final Pattern MODELER_ID =
            Pattern.compile("(Activity|Gateway|Event|Flow|StartEvent|EndEvent|Task|Process)_[0-9a-z]{5,}.*");

    static Stream<Path> processes() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("processes"))) {
            files = list.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("processes")
    void processIsExecutableWithHistoryTimeToLiveAndKeyFromFileName(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        List<Process> processes = List.copyOf(model.getModelElementsByType(Process.class));
        assertThat(processes).hasSize(1);
        Process process = processes.get(0);
        assertThat(process.isExecutable()).isTrue();
        assertThat(process.getCamundaHistoryTimeToLiveString()).isNotBlank();
        assertThat(process.getId()).isEqualTo(file.getFileName().toString().replace(".bpmn", ""));
    }

    @ParameterizedTest
    @MethodSource("processes")
    void everyUserTaskHasACandidateGroupAndADeployedForm(Path file) throws IOException {
        Set<String> forms;
        try (Stream<Path> list = Files.list(Path.of("forms"))) {
            forms = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".form"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toSet());
        }
        for (UserTask task : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(UserTask.class)) {
            assertThat(task.getCamundaCandidateGroups())
                    .as(task.getId() + " candidate group")
                    .isNotBlank();
            assertThat(task.getCamundaFormRef()).as(task.getId() + " form").isIn(forms);
            assertThat(task.getCamundaFormRefBinding())
                    .as(task.getId() + " form binding")
                    .isEqualTo("deployment");
        }
    }

    @ParameterizedTest
    @MethodSource("processes")
    void serviceTasksAreAsyncDelegatesWithRetries(Path file) {
        for (ServiceTask task : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(ServiceTask.class)) {
            if ("external".equals(task.getCamundaType())) {
                // an agent step: its group's topic, and a way out when no agent answers in time
                assertThat(task.getCamundaTopic()).as(task.getId() + " topic").matches("\\$\\{agent[A-Za-z]+Topic}");
                assertThat(task.isCamundaAsyncBefore())
                        .as(task.getId() + " asyncBefore")
                        .isTrue();
                assertThat(task.getParentElement().getChildElementsByType(BoundaryEvent.class).stream()
                                .filter(b -> b.getAttachedTo() == task)
                                .filter(b -> !b.getEventDefinitions().stream()
                                        .filter(d -> d instanceof TimerEventDefinition)
                                        .toList()
                                        .isEmpty()))
                        .as(task.getId() + " deliver-within timer")
                        .isNotEmpty();
                continue;
            }
            assertThat(task.getCamundaDelegateExpression())
                    .as(task.getId() + " delegate")
                    .matches("\\$\\{[a-z][A-Za-z]+Delegate}");
            assertThat(task.isCamundaAsyncBefore())
                    .as(task.getId() + " asyncBefore")
                    .isTrue();
        }
    }

    /** Retries come from the engine's global failedJobRetryTimeCycle (application.yml), not from per-task copies. */
    @ParameterizedTest
    @MethodSource("processes")
    void noTaskCarriesItsOwnRetryCycle(Path file) {
        assertThat(Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(CamundaFailedJobRetryTimeCycle.class))
                .as("per-task failedJobRetryTimeCycle")
                .isEmpty();
    }

    @Test
    void everyIncidentCategoryStartsARunbookFromProcesses() {
        assertThat(RunbookLauncher.RUNBOOKS.keySet())
                .as("no category without a runbook")
                .containsExactlyInAnyOrderElementsOf(Taxonomy.categories());
        for (String key : RunbookLauncher.RUNBOOKS.values()) {
            assertThat(Path.of("processes", key + ".bpmn")).as(key).isRegularFile();
        }
    }

    /**
     * Every incident runbook escalates at the response SLA, updates at the cadence (both from the
     * severity policy), ends in a review, and ends cleanly when a commander resolves or closes.
     */
    @ParameterizedTest
    @MethodSource("incidentRunbooks")
    void everyIncidentRunbookHasItsTimersAReviewAndTheCommanderMessages(String key) {
        BpmnModelInstance model =
                Bpmn.readModelFromFile(Path.of("processes", key + ".bpmn").toFile());
        Set<String> messages = model.getModelElementsByType(Message.class).stream()
                .map(Message::getName)
                .collect(Collectors.toSet());
        assertThat(messages).contains(RunbookMessages.INCIDENT_RESOLVED, RunbookMessages.INCIDENT_CLOSED);
        List<StartEvent> eventStarts = model.getModelElementsByType(SubProcess.class).stream()
                .filter(SubProcess::triggeredByEvent)
                .flatMap(sub -> sub.getChildElementsByType(StartEvent.class).stream())
                .toList();
        assertThat(eventStarts)
                .filteredOn(start -> start.isInterrupting()
                        && start.getEventDefinitions().stream()
                                .anyMatch(definition -> definition instanceof MessageEventDefinition))
                .extracting(start -> ((MessageEventDefinition)
                                start.getEventDefinitions().iterator().next())
                        .getMessage()
                        .getName())
                .containsExactlyInAnyOrder(RunbookMessages.INCIDENT_RESOLVED, RunbookMessages.INCIDENT_CLOSED);
        List<String> timers = eventStarts.stream()
                .flatMap(start -> start.getEventDefinitions().stream())
                .filter(TimerEventDefinition.class::isInstance)
                .map(TimerEventDefinition.class::cast)
                .map(timer -> timer.getTimeDuration() != null
                        ? timer.getTimeDuration().getTextContent()
                        : timer.getTimeCycle().getTextContent())
                .toList();
        assertThat(timers).contains("${responseSla}", "R/${updateCadence}");
        assertThat(model.getModelElementsByType(UserTask.class))
                .as("a review")
                .anyMatch(task -> task.getName().contains("review"));
    }

    static Stream<String> incidentRunbooks() {
        return RunbookLauncher.RUNBOOKS.values().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("processes")
    void noModelerGeneratedIds(Path file) {
        for (BaseElement element : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(BaseElement.class)) {
            if (element.getId() != null) {
                assertThat(element.getId()).as("meaningful id").doesNotMatch(MODELER_ID);
            }
        }
    }
}
