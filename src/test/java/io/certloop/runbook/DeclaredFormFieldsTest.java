package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task is completed with its form's editable fields only: on an engine with the plugin, with the real
 * investigate-deployment form from {@code forms/}, every way of completing a task with another variable is refused
 * and changes nothing.
 */
class DeclaredFormFieldsTest {

    private static ProcessEngine engine;
    private TaskService tasks;
    private ProcessInstance instance;

    @BeforeAll
    static void startEngine() {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setProcessEngineName("declared-form-fields-test");
        configuration.setJdbcUrl("jdbc:h2:mem:declared-form-fields-test;DB_CLOSE_DELAY=1000");
        configuration.setJobExecutorActivate(false);
        configuration.setProcessEnginePlugins(List.of(new DeclaredFormFields()));
        engine = configuration.buildProcessEngine();
        BpmnModelInstance model = Bpmn.createExecutableProcess("guarded")
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .userTask("investigate")
                .camundaFormRef("investigate-deployment")
                .camundaFormRefBinding("deployment")
                .camundaTaskListenerClass("complete", RefusingListener.class)
                .userTask("noForm")
                .endEvent()
                .done();
        engine.getRepositoryService()
                .createDeployment()
                .addModelInstance("guarded.bpmn", model)
                .addClasspathResource("forms/investigate-deployment.form")
                .deploy();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @BeforeEach
    void start() {
        tasks = engine.getTaskService();
        instance = engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "guarded", Map.of("endpoint", "dead.example.test", "issuedSha256", "a".repeat(64)));
    }

    @Test
    void completingWithAVariableTheFormDoesNotDeclareIsRefusedAndChangesNothing() {
        Task task = task();
        assertThatThrownBy(() -> tasks.complete(
                        task.getId(), Map.of("investigationNotes", "fixed", "endpoint", "healthy.example.test")))
                .isInstanceOf(FormFieldValidationException.class)
                .hasMessageContaining("does not declare endpoint");
        assertThat(task().getTaskDefinitionKey()).isEqualTo("investigate");
        assertThat(variable("endpoint")).isEqualTo("dead.example.test");
        assertThat(variable("investigationNotes")).isNull();
    }

    @Test
    void submittingTheFormAsTasklistDoesIsHeldToTheSameFields() {
        Task task = task();
        assertThatThrownBy(() -> engine.getFormService()
                        .submitTaskForm(task.getId(), Map.of("investigationNotes", "fixed", "verified", true)))
                .isInstanceOf(FormFieldValidationException.class)
                .hasMessageContaining("verified");
        assertThat(variable("verified")).isNull();
    }

    @Test
    void aFieldTheFormShowsDisabledIsADisplayNotAnInput() {
        Task task = task();
        assertThatThrownBy(() -> tasks.complete(task.getId(), Map.of("issuedSha256", "b".repeat(64))))
                .isInstanceOf(FormFieldValidationException.class)
                .hasMessageContaining("issuedSha256");
        assertThat(variable("issuedSha256")).isEqualTo("a".repeat(64));
    }

    @Test
    void resolvingADelegatedTaskCarriesTheSameLimit() {
        Task task = task();
        tasks.delegateTask(task.getId(), "someone");
        assertThatThrownBy(() -> tasks.resolveTask(task.getId(), Map.of("endpoint", "healthy.example.test")))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("endpoint");
        assertThat(variable("endpoint")).isEqualTo("dead.example.test");
    }

    @Test
    void theFormsEditableFieldsCompleteTheTaskAndATaskWithoutAFormTakesNoVariables() {
        tasks.complete(task().getId(), Map.of("investigationNotes", "the reload had failed", "checkedReload", true));
        assertThat(variable("investigationNotes")).isEqualTo("the reload had failed");

        Task noForm = task();
        assertThat(noForm.getTaskDefinitionKey()).isEqualTo("noForm");
        assertThatThrownBy(() -> tasks.complete(noForm.getId(), Map.of("anything", 1)))
                .isInstanceOf(FormFieldValidationException.class)
                .hasMessageContaining("none");
        tasks.complete(noForm.getId());
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processInstanceId(instance.getId())
                        .count())
                .isZero();
    }

    @Test
    void aListenerRefusingTheCompletionReachesTheCallerAsTheRefusalNotAsAnEngineFailure() {
        Task task = task();
        assertThatThrownBy(() -> tasks.complete(task.getId(), Map.of("investigationNotes", "refuse me")))
                .isExactlyInstanceOf(FormFieldValidationException.class)
                .hasMessage("refused by the listener");
        assertThat(task().getTaskDefinitionKey()).isEqualTo("investigate");
        assertThat(variable("investigationNotes")).isNull();
    }

    /** Stands for RequireLiveVerificationListener: refuses unless the notes say otherwise. */
    public static class RefusingListener implements TaskListener {
        @Override
        public void notify(DelegateTask task) {
            if ("refuse me".equals(task.getVariable("investigationNotes"))) {
                throw new FormFieldValidationException("verification", "refused by the listener");
            }
        }
    }

    private Task task() {
        return tasks.createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private Object variable(String name) {
        return engine.getRuntimeService().getVariable(instance.getId(), name);
    }
}
