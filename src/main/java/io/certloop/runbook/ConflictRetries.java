package io.certloop.runbook;

import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A message correlated after a commit may meet a job of the same process instance holding its execution (a timer,
 * a reminder): the engine answers with an optimistic-locking conflict, or PostgreSQL picks the correlation as the
 * victim of a deadlock with that job (SQLSTATE 40P01, or a serialization failure 40001), or the engine finds the
 * execution tree changed under it (ENGINE-03077, the job ended a scope meanwhile). A failed correlation wrote
 * nothing (its transaction rolled back), so any engine failure is simply tried again, a few times.
 */
final class ConflictRetries {

    static final int ATTEMPTS = 5;

    private ConflictRetries() {}

    /** Runs the action, again after 100, 200, ... ms on a conflict; false when it never went through. */
    static boolean run(Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return true;
            } catch (RuntimeException e) {
                if (!(e instanceof ProcessEngineException) && !deadlock(e)) {
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
