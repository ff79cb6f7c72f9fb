package io.certloop.inventory;

/** A team and a mailbox responsible for a service or a certificate. Either part may be unknown. */
public record Owner(String team, String email) {}
