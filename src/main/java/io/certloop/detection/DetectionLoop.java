package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.probe.ProbeProperties;
import io.certloop.probe.guard.ProbeRefusedException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Detect: probes every inventory endpoint at a fixed delay with bounded concurrency, so expiry,
 * drift and half-deployed clusters are seen before users see them. Findings are announced by
 * {@link EndpointProbeService} (once per appearance). A cycle never overlaps the previous one, on this node or
 * on any other node sharing the database ({@link DetectionLock}).
 */
@Component
public class DetectionLoop {

    private static final Logger log = LoggerFactory.getLogger(DetectionLoop.class);

    private final InventoryService inventory;
    private final EndpointProbeService probes;
    private final ProbeProperties properties;
    private final DetectionLock lock;
    private final ExecutorService workers;
    private final AtomicBoolean running = new AtomicBoolean();

    /** What one cycle did. */
    public record CycleResult(int endpoints, int probed, int failed) {
        static final CycleResult SKIPPED = new CycleResult(0, 0, 0);
    }

    DetectionLoop(
            InventoryService inventory, EndpointProbeService probes, ProbeProperties properties, DetectionLock lock) {
        this.inventory = inventory;
        this.probes = probes;
        this.properties = properties;
        this.lock = lock;
        AtomicInteger counter = new AtomicInteger();
        this.workers =
                Executors.newFixedThreadPool(Math.max(1, properties.detection().concurrency()), runnable -> {
                    Thread thread = new Thread(runnable, "probe-detection-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Scheduled(
            initialDelayString = "${certloop.probe.detection.initial-delay:PT1M}",
            fixedDelayString = "${certloop.probe.detection.interval:PT5M}")
    void scheduled() {
        if (properties.detection().enabled()) {
            // Held until shortly before the next interval: another node whose timer fires meanwhile skips, so
            // with several nodes every endpoint is still probed once per interval.
            Duration interval = properties.detection().interval();
            runLocked(interval.minus(interval.dividedBy(10)));
        }
    }

    /**
     * Probes the whole inventory once, unless a cycle is running here or on another node sharing the database
     * (then skipped, with zeros).
     */
    public CycleResult runOnce() {
        return runLocked(Duration.ZERO);
    }

    private CycleResult runLocked(Duration heldAtLeast) {
        return lock.runExclusively(heldAtLeast, this::cycle).orElseGet(() -> {
            log.info("detection cycle skipped: another node is running one");
            return CycleResult.SKIPPED;
        });
    }

    private CycleResult cycle() {
        if (!running.compareAndSet(false, true)) {
            log.info("detection cycle skipped: the previous one is still running");
            return CycleResult.SKIPPED;
        }
        try {
            List<Endpoint> endpoints = inventory.list();
            probes.retain(endpoints);
            AtomicInteger failed = new AtomicInteger();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (Endpoint endpoint : endpoints) {
                tasks.add(() -> {
                    try {
                        probes.probe(endpoint);
                    } catch (ProbeRefusedException e) {
                        failed.incrementAndGet();
                        log.warn("endpoint {} not probed: {}", endpoint.name(), e.reason());
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        log.error("probing endpoint {} failed", endpoint.name(), e);
                    }
                    return null;
                });
            }
            workers.invokeAll(tasks);
            CycleResult result = new CycleResult(endpoints.size(), endpoints.size() - failed.get(), failed.get());
            log.info(
                    "detection cycle: {} endpoints, {} probed, {} failed",
                    result.endpoints(),
                    result.probed(),
                    result.failed());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CycleResult.SKIPPED;
        } finally {
            running.set(false);
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
