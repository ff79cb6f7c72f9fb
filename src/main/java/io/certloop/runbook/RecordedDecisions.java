package io.certloop.runbook;

import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import java.util.function.Supplier;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * What the listeners that write a person's decision on a record share: the approve-or-reject field, and the
 * record's refusals turned into the engine's, so the completion is refused and the task stays open (four eyes: 403,
 * a wrong field: 400 over REST, see {@link EngineRestRefusals}; no longer open: the engine's error).
 */
final class RecordedDecisions {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private RecordedDecisions() {}

    /** True for approve, false for reject; anything else refuses the completion naming the field. */
    static boolean approves(DelegateTask task, String field) {
        Object decision = task.getVariable(field);
        if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
            throw new FormFieldValidationException(field, field + ": must be approve or reject");
        }
        return APPROVE.equals(decision);
    }

    /** The variable as text, null when unset. */
    static String text(DelegateTask task, String name) {
        Object value = task.getVariable(name);
        return value == null ? null : value.toString();
    }

    /** Runs the record's decision; its refusals become the engine's. */
    static <T> T recorded(Supplier<T> decision) {
        try {
            return decision.get();
        } catch (ForbiddenException e) {
            throw new AuthorizationException(e.getMessage());
        } catch (InvalidRequestException e) {
            FieldError first = e.errors().get(0);
            throw new FormFieldValidationException(first.field(), e.getMessage());
        } catch (ConflictException e) {
            throw new ProcessEngineException(e.getMessage(), e);
        }
    }
}
