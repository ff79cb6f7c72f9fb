package io.certloop.audit;

/** Where a new entry joins its chain: the hash of the entry before it and its own hash. */
public record ChainLink(String previousHash, String hash) {}
