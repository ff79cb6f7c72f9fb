package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every process in {@code processes/} follows the house rules the engine does not enforce. */
class ProcessModelTest {

    private static final Pattern MODELER_ID = Pattern.compile("(Activity|Gateway|Event|Flow|StartEvent|EndEvent|Task|Process)_[0-9a-z]{5,}.*");

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
            forms = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".form"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
        }
        for (UserTask task : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(UserTask.class)) {
            assertThat(task.getCamundaCandidateGroups()).as(task.getId() + " candidate group").isNotBlank();
            assertThat(task.getCamundaFormRef()).as(task.getId() + " form").isIn(forms);
            assertThat(task.getCamundaFormRefBinding()).as(task.getId() + " form binding").isEqualTo("deployment");
        }
    }

    @ParameterizedTest
    @MethodSource("processes")
    void serviceTasksAreAsyncDelegatesWithRetries(Path file) {
        for (ServiceTask task : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(ServiceTask.class)) {
            assertThat(task.getCamundaDelegateExpression()).as(task.getId() + " delegate").matches("\\$\\{[a-z][A-Za-z]+Delegate}");
            assertThat(task.isCamundaAsyncBefore()).as(task.getId() + " asyncBefore").isTrue();
        }
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
