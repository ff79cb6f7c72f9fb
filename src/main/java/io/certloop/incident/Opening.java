package io.certloop.incident;

/** The outcome of opening: a new incident, or the open one the request was added to. */
public record Opening(Incident incident, boolean deduplicated) {}
