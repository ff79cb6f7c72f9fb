package io.certloop.probe.tls;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small thread-safe least-recently-used map with a fixed capacity. The probe caches immutable
 * results in it; a plain lock is enough at probe rates (the critical sections are a hash lookup).
 */
final class BoundedLruCache<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> entries;

    BoundedLruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedLruCache.this.capacity;
            }
        };
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized int size() {
        return entries.size();
    }

    int capacity() {
        return capacity;
    }
}
