-- Audit rows are append-only (RELIABILITY promise 13): the database role the API connects as must
-- not be able to rewrite who did what. A trigger, not grants, so it holds on PGlite (no roles) and
-- for whichever role the API uses. Removing it takes a migration, which is itself reviewed.
-- The body is an E-string with \x3b for each semicolon: Prisma's Postgres adapter runs a migration
-- split at every literal semicolon, which would cut a dollar-quoted body apart.
CREATE FUNCTION "floorplan_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''AuditEvent rows are append-only: % is refused'', TG_OP USING ERRCODE = ''insufficient_privilege'', HINT = ''Record a new audit event instead of changing or removing one.''\x3b END\x3b';

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "floorplan_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "floorplan_audit_append_only"();
