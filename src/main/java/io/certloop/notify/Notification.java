package io.certloop.notify;

import java.util.List;

/**
 * A message about an incident.
 *
 * @param kind       {@code opened}, {@code escalated}, {@code status-update}, {@code resolved}, ... (see {@link Kinds})
 * @param recipients mail addresses; empty means the configured fallback recipients
 */
public record Notification(String incidentId, String kind, List<String> recipients, String subject, String body) {

    public Notification {
        recipients = recipients == null
                ? List.of()
                : recipients.stream().filter(r -> r != null).toList();
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a notification needs a kind");
        }
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
    }

    /** The kinds runbooks send. */
    public static final class Kinds {
        public static final String OPENED = "opened";
        public static final String ESCALATED = "escalated";
        public static final String STATUS_UPDATE = "status-update";
        public static final String RESOLVED = "resolved";
        public static final String CLOSED = "closed";
        /** Resolved on a person's word: a commander through the API, or whoever completed the handling task. */
        public static final String RESOLVED_BY_PERSON = "resolved-by-person";

        public static final String CLOSED_BY_COMMANDER = "closed-by-commander";
        /** A ca-outage resolved by the issuer's health check: it answers again, the runbooks it held resume. */
        public static final String ISSUER_RECOVERED = "issuer-recovered";
        /** An incident commander approved a replacement plan: its message to owners and partner contacts. */
        public static final String REPLACEMENT_PLAN = "replacement-plan";

        private Kinds() {}
    }
}
