package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedLruCacheTest {

    @Test
    void evictsTheLeastRecentlyUsedEntryBeyondItsCapacity() {
        BoundedLruCache<String, Integer> cache = new BoundedLruCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assertThat(cache.get("a")).isEqualTo(1); // a is now more recent than b
        cache.put("c", 3);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo(1);
        assertThat(cache.get("c")).isEqualTo(3);
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThatThrownBy(() -> new BoundedLruCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
