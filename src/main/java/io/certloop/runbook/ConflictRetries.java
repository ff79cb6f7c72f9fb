package io.certloop.runbook;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells a running process something after the caller's transaction committed. A message correlated then may meet a
 * job of the same process instance holding its execution (a timer, a reminder): the engine answers with an
 * optimistic-locking conflict, or PostgreSQL picks the correlation as the victim of a deadlock with that job
 * (SQLSTATE 40P01, or a serialization failure 40001), or the engine finds the execution tree changed under it
 * (ENGINE-03077, the job ended a scope meanwhile), or the engine trips over an execution tree the job changed while
 * it read it (a NullPointerException thrown inside the engine). Any engine failure is simply tried again, a few times.
 *
 * <p>Each attempt runs in a transaction of its own. After a commit the caller's transaction is finished but still
 * bound to the thread: an engine call there would join it, a failed attempt's statements would not be rolled back,
 * and the next attempt would commit them with its own (a variable left pointing at an execution that later ends).
 */
@Component
class ConflictRetries {

    static final int ATTEMPTS = 5;

    private final TransactionOperations eachAttempt;

    @Autowired
    ConflictRetries(PlatformTransactionManager transactions) {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.eachAttempt = own;
    }

    /** For a test without a database: each attempt runs as it is. */
    ConflictRetries(TransactionOperations eachAttempt) {
        this.eachAttempt = eachAttempt;
    }

    /** Runs the action, again after 100, 200, ... ms on a conflict; false when it never went through. */
    boolean run(Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                eachAttempt.executeWithoutResult(status -> action.run());
                return true;
            } catch (RuntimeException e) {
                if (!(e instanceof ProcessEngineException) && !deadlock(e) && !insideTheEngine(e)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    return false;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /**
     * The engine refused this writer because another one changed the same executions at the same moment: an
     * optimistic-locking conflict, or the database chose it as a deadlock's victim. Its transaction changed nothing,
     * and the same call may go through a moment later.
     */
    static boolean collision(RuntimeException e) {
        return e instanceof OptimisticLockingException || deadlock(e);
    }

    /** A programming error the engine itself threw (a half-read execution tree), not one of ours. */
    static boolean insideTheEngine(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e instanceof NullPointerException
                && trace.length > 0
                && trace[0].getClassName().startsWith("org.camunda.bpm.engine.");
    }

    /** True when the database chose this transaction as a deadlock's victim or refused it as not serializable. */
    static boolean deadlock(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql
                    && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
            if (cause instanceof java.sql.BatchUpdateException batch
                    && batch.getNextException() != null
                    && deadlock(batch.getNextException())) {
                return true;
            }
        }
        return false;
    }
}
