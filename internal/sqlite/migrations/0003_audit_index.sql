-- Reading an event's organizations looked them up by event without an index,
-- so verifying the audit trail took time quadratic in its length.
CREATE INDEX audit_event_organizations_event ON audit_event_organizations (event_id, organization_id);
