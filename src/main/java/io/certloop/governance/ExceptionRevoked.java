package io.certloop.governance;

/** The board ended an active exception early; published inside the transaction that recorded it. */
public record ExceptionRevoked(ExceptionRecord exception, String revokedBy, String reason) {}
