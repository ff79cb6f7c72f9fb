-- Timeline rows written before V70 carry no hash. The chains they belong to are listed here once, when this
-- migration runs; audit.ChainBackfill chains them (in row order, from the genesis) at the next start and takes
-- them off the list. A hash removed later is never chained again: verification keeps naming that row.
CREATE TABLE audit_backfill (
    chain     VARCHAR(32) NOT NULL,
    chain_id  VARCHAR(64) NOT NULL,
    CONSTRAINT pk_audit_backfill PRIMARY KEY (chain, chain_id)
);
INSERT INTO audit_backfill (chain, chain_id)
    SELECT DISTINCT 'incident', incident_id FROM incident_timeline WHERE entry_hash IS NULL;

-- The bulk export (GET /api/audit/incidents) and the retention job select incidents by time.
CREATE INDEX ix_incident_opened_at ON incident (opened_at);
CREATE INDEX ix_incident_closed_at ON incident (closed_at);
