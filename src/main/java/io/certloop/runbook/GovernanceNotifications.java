package io.certloop.runbook;

import java.util.List;

/** Tells the people around a governance decision what happened. Never fails a runbook. */
interface GovernanceNotifications {

    /** Who hears, besides the requester who always does. */
    enum Audience {
        /** The requester only. */
        REQUESTER,
        /** The requester and the endpoint's service owner (reminders). */
        SERVICE_OWNER,
        /** The requester and both owners of the endpoint. */
        OWNERS,
        /** The requester, both owners and the PKI board. */
        OWNERS_AND_BOARD,
        /** The requester, the PKI board and the executives (an overdue review). */
        BOARD_AND_EXECUTIVES
    }

    /**
     * @param reference the exception id or the incident id the message is about (the outbox is keyed by it)
     * @return the mail addresses it went to
     */
    List<String> send(
            String reference,
            String endpoint,
            String requester,
            Audience audience,
            String kind,
            String subject,
            String body);
}
