package io.certloop.system.security;

import java.util.List;

/** The groups CertLoop creates at start and checks access against. */
public final class Groups {

    public static final String OPERATORS = "operators";
    public static final String APPROVERS = "approvers";
    public static final String INCIDENT_COMMANDERS = "incident-commanders";
    public static final String PKI_BOARD = "pki-board";
    public static final String AUDITORS = "auditors";
    /** A webhook identity (Alertmanager): may post alerts and nothing else. */
    public static final String ALERT_SENDERS = "alert-senders";
    /**
     * Agents on the services' hosts: may take and answer the agent steps of the runbooks over the engine API
     * ({@code /engine-rest/external-task}, agent topics only) and nothing else.
     */
    public static final String AGENTS = "agents";
    /** Camunda's own administrators' group; its members pass every check. */
    public static final String ADMIN = "camunda-admin";

    /** The people's groups: members read CertLoop's API and work their tasks in Tasklist. */
    public static final List<String> CERTLOOP = List.of(OPERATORS, APPROVERS, INCIDENT_COMMANDERS, PKI_BOARD, AUDITORS);

    private Groups() {}
}
