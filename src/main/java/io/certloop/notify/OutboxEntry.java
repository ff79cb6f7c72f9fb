package io.certloop.notify;

import java.time.Instant;
import java.util.List;

/** A notification as recorded in the outbox, with what became of it. */
public record OutboxEntry(
        long id,
        String incidentId,
        String kind,
        List<String> recipients,
        String subject,
        String body,
        DeliveryStatus status,
        String failureReason,
        Instant createdAt) {}
