package io.certloop.deployment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments that share a reload action share the service it reloads: many listeners of one nginx,
 * each with its own files. Two rules follow, both seen failing under load (concurrent deployments to
 * 100 listeners of one nginx: 8 of 100 ended in rollback):
 * <ul>
 *   <li><b>No reload while files are half-written.</b> {@code nginx -s reload} reads every site's
 *   certificate and key before it signals; a reload that runs while another deployment has written a
 *   new certificate but not yet its key fails ("key values mismatch"). Writes of files for an action
 *   therefore run together, never during a reload of that action: a fair read-write lock per action,
 *   writers shared, the reload exclusive.</li>
 *   <li><b>One reload at a time, coalesced.</b> A deployment whose files are written joins the pending
 *   round of its action; the round is closed when its reload starts, so every member's files were in
 *   place before the reload began, and later arrivals wait for the next round. One run serves every
 *   member (each is then verified on its own by a fresh probe), and runs of one action never overlap.</li>
 * </ul>
 * A member waits at most for the run in progress and its own round's run, each bounded by the reload
 * timeout. A failed or timed-out run is the evidence of every deployment it served: each goes on to its
 * own rollback. Actions are told apart by name only; two names for one command line are two actions.
 */
final class SharedReloads {

    private static final Logger log = LoggerFactory.getLogger(SharedReloads.class);

    private final ReloadActions actions;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    SharedReloads(ReloadActions actions) {
        this.actions = actions;
    }

    /** What a deployment wrote, and the reload run that took it up. */
    record Reloaded<T>(T written, ReloadResult reload) {}

    /**
     * Runs {@code write} (files for a service reloaded by {@code action}) while no reload of that action
     * runs, then waits for a reload of the action that started after the write finished, running it itself
     * unless another member of the same round does.
     *
     * @throws DeploymentException.UnknownReloadAction if the action is not configured (nothing is written)
     */
    <T> Reloaded<T> afterWriting(String action, Supplier<T> write) {
        if (!actions.exists(action)) {
            throw new DeploymentException.UnknownReloadAction(action);
        }
        Gate gate = gates.computeIfAbsent(action, Gate::new);
        T written;
        Round round;
        gate.lock.readLock().lock();
        try {
            written = write.get();
            round = gate.join();
        } finally {
            gate.lock.readLock().unlock();
        }
        return new Reloaded<>(written, gate.reload(round));
    }

    /** The lock and the open round of one action. */
    private final class Gate {
        private final String action;
        /** Fair: a waiting reload holds back new writers, so a stream of deployments cannot starve it. */
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

        private Round pending; // guarded by this

        Gate(String action) {
            this.action = action;
        }

        synchronized Round join() {
            if (pending == null) {
                pending = new Round();
            }
            pending.members++;
            return pending;
        }

        /** Closes the open round: from now on arrivals join a new one. Call with the write lock held. */
        private synchronized int close(Round round) {
            if (pending != round) {
                throw new IllegalStateException("reload round of '" + action + "' closed twice");
            }
            pending = null;
            return round.members;
        }

        ReloadResult reload(Round round) {
            try {
                lock.writeLock().lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeploymentException("interrupted while waiting to reload with '" + action + "'", e);
            }
            try {
                // a round is closed and completed by the same holder of the write lock: not done = still open
                if (!round.done) {
                    int members = close(round);
                    try {
                        round.result = actions.run(action).servedFor(members);
                    } catch (RuntimeException e) {
                        round.failure = e;
                    }
                    round.done = true;
                    if (members > 1) {
                        log.info("reload action {} ran once for {} deployments", action, members);
                    }
                }
                if (round.failure != null) {
                    throw round.failure;
                }
                return round.result;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** The deployments one reload run serves. Read and written only under the gate's write lock. */
    private static final class Round {
        private int members; // guarded by the gate's monitor until closed
        private boolean done;
        private ReloadResult result;
        private RuntimeException failure;
    }
}
