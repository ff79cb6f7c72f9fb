package io.certloop.deployment;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Waits, bounded, until a service accepts TCP connections again after a reload. This is a short
 * settle check inside one deployment call; longer waits belong in the runbook (timer, then probe).
 */
final class ServiceAnswerWaiter {

    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final Duration timeout;

    ServiceAnswerWaiter(Duration timeout) {
        this.timeout = timeout;
    }

    ServiceCheck await(ServiceAddress address) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int attempts = 0;
        String lastError = null;
        while (true) {
            attempts++;
            long remaining = Math.max(
                    deadline - System.nanoTime(), Duration.ofMillis(200).toNanos());
            int connectTimeout = (int) Math.min(Duration.ofNanos(remaining).toMillis(), MAX_CONNECT_TIMEOUT.toMillis());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeout);
                return new ServiceCheck(address, true, Duration.ofNanos(System.nanoTime() - start), attempts, null);
            } catch (IOException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (System.nanoTime() + PAUSE.toNanos() > deadline) {
                return new ServiceCheck(
                        address, false, Duration.ofNanos(System.nanoTime() - start), attempts, lastError);
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ServiceCheck(
                        address, false, Duration.ofNanos(System.nanoTime() - start), attempts, "interrupted");
            }
        }
    }
}
