-- API tokens are kept in each API process between requests, beside the evidence snapshot and dropped
-- with it: creating, revoking or changing a token (by anyone: `floorplan token revoke`, another
-- replica, psql) notifies like the evidence tables. Writing a token's last use does not.
CREATE TRIGGER "ApiToken_evidence_changed"
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "name", "role", "boxId", "tokenHash", "revokedAt", "createdAt"
  ON "ApiToken"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
