-- Ids of deleted connections and hooks are never given out again: the audit
-- trail names them by id ("connection 7 deleted"), so a later connection
-- must not become "connection 7". SQLite reuses the largest rowid after a
-- delete, so deletes record the highest id they removed here, and inserts
-- take the next id above both this mark and the largest id in the table.
-- (Rebuilding these tables with AUTOINCREMENT would need foreign keys off,
-- which a migration's transaction cannot do.)

CREATE TABLE id_high_water (
    name   TEXT    PRIMARY KEY,
    max_id INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO id_high_water (name, max_id)
    SELECT 'connections', coalesce(max(id), 0) FROM connections
    UNION ALL SELECT 'hooks', coalesce(max(id), 0) FROM hooks;

CREATE TRIGGER connections_high_water AFTER DELETE ON connections BEGIN
    UPDATE id_high_water SET max_id = max(max_id, OLD.id) WHERE name = 'connections';
END;

CREATE TRIGGER hooks_high_water AFTER DELETE ON hooks BEGIN
    UPDATE id_high_water SET max_id = max(max_id, OLD.id) WHERE name = 'hooks';
END;
