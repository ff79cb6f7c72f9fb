package io.certloop.rotation;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The threads that rotate a wave's endpoints ({@code certloop.rotation.parallelism}). The wave's own job only
 * waits for them; no job-executor thread is held per endpoint.
 */
@Component
class RotationWorkers implements Executor {

    private final ExecutorService threads;

    RotationWorkers(RotationProperties properties) {
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(properties.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "rotation-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable command) {
        threads.execute(command);
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
