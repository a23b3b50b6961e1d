import fc from 'fast-check';

/**
 * Every property test runs with one fixed seed, so a red run replays exactly; FC_SEED overrides it
 * (e.g. FC_SEED=$RANDOM npx vitest run) to explore other cases. fast-check names the seed and the
 * shrunk path in every failure; the line below says how to replay it. Loaded for every test file
 * (vitest.config.ts setupFiles), so no fc.assert runs unseeded.
 */
const DEFAULT_SEED = 20261201;
const fromEnvironment = process.env.FC_SEED;
export const FC_SEED = fromEnvironment === undefined ? DEFAULT_SEED : Number(fromEnvironment);
if (!Number.isSafeInteger(FC_SEED)) throw new Error(`FC_SEED must be an integer, got "${fromEnvironment}"`);

fc.configureGlobal({
  seed: FC_SEED,
  reporter: (details) => {
    if (!details.failed) return;
    throw new Error(
      `${fc.defaultReportMessage(details)}\nReplay with FC_SEED=${FC_SEED} (this run's seed) and the seed/path above.`,
    );
  },
});
