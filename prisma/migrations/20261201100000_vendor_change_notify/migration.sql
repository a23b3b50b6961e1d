-- The catalog (servingPaths) is kept beside the evidence snapshot and dropped with it, and it shows
-- each path's vendor: a vendor written by anyone (the CLI's catalog edits, a seed) notifies too.
CREATE TRIGGER "Vendor_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Vendor"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
