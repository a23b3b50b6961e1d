import { type CommandEntry, UsageError } from '../command';

/**
 * Commands that live in their own modules, imported only when called so that `floorplan migrate`
 * does not load the charting or benchmarking code.
 */
export const lazyCommands: Record<string, () => Promise<CommandEntry>> = {
  chart: async () => {
    const [{ runChartCommand, parseChartArgs, CHART_USAGE }, { createChartLoaders }, { withDatabase }] =
      await Promise.all([import('./chart'), import('../../charts/data'), import('../database')]);
    return {
      usage: CHART_USAGE,
      run: (args) => {
        // Bad arguments are reported before the database is opened.
        const parsed = parseChartArgs(args);
        if (!parsed.ok) throw new UsageError(parsed.message);
        return withDatabase((database) => runChartCommand(args, createChartLoaders(database.prisma)));
      },
    };
  },
  decide: async () => {
    const { runDecideCommand, USAGE } = await import('./decide');
    return { usage: USAGE, run: runDecideCommand };
  },
  import: async () => {
    const { runImportCommand, USAGE } = await import('./import');
    return { usage: USAGE, run: (args) => runImportCommand(args) };
  },
  eval: async () => {
    const { runEvalCommand, USAGE } = await import('./eval');
    return { usage: USAGE, run: (args) => runEvalCommand(args) };
  },
  runner: async () => {
    const { runRunnerCommand, USAGE } = await import('./runner');
    return { usage: USAGE, run: runRunnerCommand };
  },
  bench: async () => {
    const { runBenchCommand, USAGE } = await import('./bench');
    return { usage: USAGE, run: runBenchCommand };
  },
  catalog: async () => {
    const { runCatalogCommand, USAGE } = await import('./catalog');
    return { usage: USAGE, run: runCatalogCommand };
  },
  decisions: async () => {
    const { runDecisionsCommand, USAGE } = await import('./decisions');
    return { usage: USAGE, run: runDecisionsCommand };
  },
  prices: async () => {
    const { runPricesCommand, USAGE } = await import('./prices');
    return { usage: USAGE, run: runPricesCommand };
  },
};
