-- Saved workloads use the GraphQL input's names: "modelSlug" is now "model".
UPDATE "Workload"
SET "input" = ("input" - 'modelSlug') || jsonb_build_object('model', "input" -> 'modelSlug')
WHERE "input" ? 'modelSlug';
