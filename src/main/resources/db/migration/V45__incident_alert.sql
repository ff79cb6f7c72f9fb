-- Which Alertmanager alert (fingerprint and startsAt: one firing episode) is attached to which incident,
-- per endpoint. A repeat of the same alert lands on that incident whatever its state, never opens another.
CREATE TABLE incident_alert (
    fingerprint   VARCHAR(128) NOT NULL,
    starts_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    endpoint      VARCHAR(128) NOT NULL,
    incident_id   VARCHAR(32)  NOT NULL,
    attached_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_incident_alert PRIMARY KEY (fingerprint, starts_at, endpoint),
    CONSTRAINT fk_incident_alert_incident FOREIGN KEY (incident_id) REFERENCES incident (id)
);
CREATE INDEX ix_incident_alert_incident ON incident_alert (incident_id);
