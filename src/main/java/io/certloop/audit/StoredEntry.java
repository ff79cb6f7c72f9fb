package io.certloop.audit;

/** One entry as a chain source reads it back for verification; {@code ref} names the row (its id). */
public record StoredEntry(String ref, ChainEntry content, String previousHash, String hash) {}
