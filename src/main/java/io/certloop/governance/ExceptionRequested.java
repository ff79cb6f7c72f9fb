package io.certloop.governance;

/**
 * Published inside the transaction that stored the request, so the {@code exception-review} process starts
 * atomically with the record (a listener that throws rolls the request back).
 *
 * @param previousDecisions earlier decisions on the same endpoint and finding, one line each, for the board
 */
public record ExceptionRequested(ExceptionRecord exception, String previousDecisions) {}
