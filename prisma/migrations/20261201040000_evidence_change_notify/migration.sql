-- Every write to a table the decision engine reads tells every API process (LISTEN
-- floorplan_evidence_changed) to drop its cached evidence snapshot, whoever wrote: an API replica,
-- the CLI (imports, seed), or psql. Statement-level, so a bulk write sends one notification, and
-- Postgres delivers it only when the writing transaction commits.
-- The body spells its semicolons \073: Prisma's Postgres adapter runs a migration by splitting it at
-- every semicolon, even inside a quoted function body (no semicolon may appear in this file but as a terminator).
CREATE OR REPLACE FUNCTION floorplan_notify_evidence_changed() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''floorplan_evidence_changed'', TG_TABLE_NAME)\073 RETURN NULL\073 END\073';

CREATE TRIGGER "Box_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Box"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "Model_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Model"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "ModelVariant_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ModelVariant"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "ServingPath_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ServingPath"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "CapacityFact_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CapacityFact"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "PriceComponent_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PriceComponent"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "LayerPlacement_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "LayerPlacement"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "BenchmarkResult_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "BenchmarkResult"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "QuestionSet_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "QuestionSet"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "QualityEvaluation_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "QualityEvaluation"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "AccessPath_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AccessPath"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "AccessAttempt_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AccessAttempt"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
CREATE TRIGGER "PriceValue_evidence_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PriceValue"
  FOR EACH STATEMENT EXECUTE FUNCTION floorplan_notify_evidence_changed();
