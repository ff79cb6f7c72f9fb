package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerThreadSecureRandomTest {

    @Test
    void successiveDrawsDiffer() {
        PerThreadSecureRandom random = new PerThreadSecureRandom();
        Set<String> draws = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            draws.add(Arrays.toString(bytes));
        }
        assertThat(draws).hasSize(100);
    }

    @Test
    void threadsDrawFromIndependentGeneratorsWithoutRepeats() throws Exception {
        PerThreadSecureRandom random = new PerThreadSecureRandom();
        Set<String> draws = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    byte[] bytes = new byte[32];
                    random.nextBytes(bytes);
                    draws.add(Arrays.toString(bytes));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(draws).hasSize(8 * 200);
    }
}
