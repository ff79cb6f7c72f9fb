package io.certloop.governance;

/** Published inside the transaction that stored the request: the {@code break-glass} process starts with it. */
public record BreakGlassRequested(BreakGlassRecord breakGlass) {}
