package io.certloop.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.impl.GetDeployedTaskFormCmd;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.CommandChecker;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.GetTaskFormCmd;
import org.camunda.bpm.engine.impl.cmd.ResolveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * A person completes a task with the fields its form lets them fill in, and nothing else. Completing,
 * submitting or resolving a task with any other variable is refused before the engine changes anything
 * (400 over {@code /engine-rest} and in Tasklist): otherwise anyone who may complete a task could set any
 * process variable a later step reads. Fields the form shows disabled are displays, not inputs (Tasklist
 * does not submit them either).
 *
 * <p>A task listener that refuses a completion throws {@link FormFieldValidationException}; it reaches the caller
 * unwrapped, so REST and Tasklist answer 400 with its message instead of 500.
 *
 * <p>Camunda has no hook that sees a completion's variables apart from the ones already in the process,
 * so this intercepts the three commands that carry them and reads their (protected) variable fields.
 * {@code DeclaredFormFieldsTest} fails if an engine upgrade renames them.
 */
@Component
class DeclaredFormFields extends AbstractProcessEnginePlugin {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setCustomPostCommandInterceptorsTxRequired(
                with(configuration.getCustomPostCommandInterceptorsTxRequired()));
        configuration.setCustomPostCommandInterceptorsTxRequiresNew(
                with(configuration.getCustomPostCommandInterceptorsTxRequiresNew()));
    }

    private static java.util.List<CommandInterceptor> with(java.util.List<CommandInterceptor> existing) {
        java.util.List<CommandInterceptor> interceptors =
                existing == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(existing);
        interceptors.add(new Guard());
        return interceptors;
    }

    /** Runs inside the command context (a post interceptor), before the command itself. */
    static final class Guard extends CommandInterceptor {

        @Override
        public <T> T execute(Command<T> command) {
            if (!(command instanceof CompleteTaskCmd) && !(command instanceof SubmitTaskFormCmd)) {
                return next.execute(command);
            }
            Set<String> submitted = submittedNames(command);
            if (!submitted.isEmpty()) {
                check((String) read(command, "taskId"), submitted, command instanceof ResolveTaskCmd);
            }
            try {
                return next.execute(command);
            } catch (ProcessEngineException e) {
                // the engine wraps what a task listener throws (ENGINE-03051), which REST answers with 500; a
                // listener refusing the completion (live verification, four eyes) means 400, so its refusal surfaces
                throw refusalIn(e).orElseThrow(() -> e);
            }
        }

        private static Optional<FormFieldValidationException> refusalIn(Throwable thrown) {
            for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
                if (cause instanceof FormFieldValidationException refusal) {
                    return Optional.of(refusal);
                }
            }
            return Optional.empty();
        }

        private static void check(String taskId, Set<String> submitted, boolean resolving) {
            CommandContext context = Context.getCommandContext();
            if (taskId == null || context == null) {
                return;
            }
            TaskEntity task = context.getTaskManager().findTaskById(taskId);
            if (task == null) {
                return; // the command itself answers "no such task"
            }
            // who may not work the task hears that first (403), not which fields its form has
            for (CommandChecker checker :
                    context.getProcessEngineConfiguration().getCommandCheckers()) {
                checker.checkTaskWork(task);
            }
            Set<String> allowed = context.runWithoutAuthorization(() -> editableFields(taskId, context));
            Set<String> undeclared = new TreeSet<>(submitted);
            undeclared.removeAll(allowed);
            if (!undeclared.isEmpty()) {
                String message = "The form of task " + task.getTaskDefinitionKey() + " does not declare "
                        + String.join(", ", undeclared) + "; a task is completed with its form's fields only: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed)));
                // the REST API answers 400 to each of these on the route that raises it
                throw resolving
                        ? new BadUserRequestException(message)
                        : new FormFieldValidationException(undeclared, message);
            }
        }
    }

    /** The keys a person can fill in on the task's form: Camunda Forms fields that are not disabled, or generated form fields. */
    static Set<String> editableFields(String taskId, CommandContext context) {
        TaskFormData data = new GetTaskFormCmd(taskId).execute(context);
        Set<String> keys = new LinkedHashSet<>();
        if (data.getCamundaFormRef() != null) {
            try (InputStream form = new GetDeployedTaskFormCmd(taskId).execute(context)) {
                collect(JSON.readTree(form).path("components"), keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (FormField field : data.getFormFields()) {
            keys.add(field.getId());
        }
        return keys;
    }

    /** Camunda Forms: every component with a key, in groups too; disabled ones are not submitted. */
    static void collect(JsonNode components, Set<String> keys) {
        for (JsonNode component : components) {
            if (component.hasNonNull("key") && !component.path("disabled").asBoolean(false)) {
                keys.add(component.get("key").asText());
            }
            collect(component.path("components"), keys);
        }
    }

    private static Set<String> submittedNames(Command<?> command) {
        Object variables = read(command, command instanceof SubmitTaskFormCmd ? "properties" : "variables");
        return variables instanceof Map<?, ?> map ? names(map.keySet()) : Set.of();
    }

    private static Set<String> names(Collection<?> keys) {
        Set<String> names = new LinkedHashSet<>();
        keys.forEach(key -> names.add(String.valueOf(key)));
        return names;
    }

    private static Object read(Object command, String name) {
        for (Class<?> type = command.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(command);
            } catch (NoSuchFieldException e) {
                // declared on a superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + name + " of " + type.getName(), e);
            }
        }
        throw new IllegalStateException(command.getClass().getName() + " has no field " + name
                + ": the engine changed; adapt DeclaredFormFields");
    }
}
