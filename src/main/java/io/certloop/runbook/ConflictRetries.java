package io.certloop.runbook;

import org.camunda.bpm.engine.OptimisticLockingException;

/**
 * A message correlated after a commit may meet a job of the same process instance holding its execution (a timer,
 * a reminder): the engine answers with an optimistic-locking conflict, and the correlation is simply tried again.
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
            } catch (OptimisticLockingException e) {
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
}
