-- The window's first screen reads the newest connections, how many there
-- are and their packages, without reading every row
-- (Tx.NewestConnectionListings): newest first along an index (read
-- backwards), and whether a package has connections from another.
CREATE INDEX connections_newest ON connections (created_at, id);
CREATE INDEX connections_software ON connections (software_id, status);
