package io.certloop.notify;

/** What became of a notification: mailed, mail refused or unreachable, or no SMTP server configured. */
public enum DeliveryStatus {
    SENT,
    FAILED,
    OUTBOX_ONLY
}
