package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionOperations;

class ConflictRetriesTest {

    private final ConflictRetries retries = new ConflictRetries(TransactionOperations.withoutTransaction());

    @Test
    void aDeadlockVictimIsTriedAgainAsTheEngineReportsIt() {
        // the shape PostgreSQL's deadlock takes inside the engine: a batch update whose next exception says 40P01
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 aborted", new int[0]);
        batch.setNextException(new SQLException("ERROR: deadlock detected", "40P01"));
        AtomicInteger calls = new AtomicInteger();

        boolean done = retries.run(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new ProcessEngineException("An exception occurred in the persistence layer", batch);
            }
        });

        assertThat(done).isTrue();
        assertThat(calls).hasValue(2);
    }

    @Test
    void anOptimisticLockingConflictIsTriedAgainAndGivesUpAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();

        boolean done = retries.run(() -> {
            calls.incrementAndGet();
            throw new OptimisticLockingException("conflict");
        });

        assertThat(done).isFalse();
        assertThat(calls).hasValue(ConflictRetries.ATTEMPTS);
    }

    @Test
    void aFailureOutsideTheEngineIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retries.run(() -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("no such message");
                }))
                .hasMessage("no such message");
        assertThat(calls).hasValue(1);
    }

    @Test
    void theEngineTrippingOverATreeAJobChangedIsTriedAgainButOurOwnNullPointerIsNot() {
        NullPointerException engine = new NullPointerException("getParent() is null");
        engine.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "org.camunda.bpm.engine.impl.pvm.runtime.PvmExecutionImpl",
                    "getParentActivityInstanceId",
                    null,
                    1360)
        });
        AtomicInteger calls = new AtomicInteger();
        assertThat(retries.run(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw engine;
                    }
                }))
                .isTrue();
        assertThat(calls).hasValue(2);

        AtomicInteger ours = new AtomicInteger();
        assertThatThrownBy(() -> retries.run(() -> {
                    ours.incrementAndGet();
                    Object nothing = null;
                    nothing.hashCode();
                }))
                .isInstanceOf(NullPointerException.class);
        assertThat(ours).hasValue(1);
    }
}
