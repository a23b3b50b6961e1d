-- Audit rows are append-only (RELIABILITY promise 13): the application's own database role must not
-- be able to rewrite who did what. A trigger, not grants, so it holds on PGlite (no roles) and for
-- whichever role the API connects as. Removing it takes a migration, which is itself reviewed.
CREATE FUNCTION "floorplan_audit_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent rows are append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a new audit event instead of changing or removing one.';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "floorplan_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "floorplan_audit_append_only"();
