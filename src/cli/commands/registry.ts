import type { Command } from '../command';

/**
 * Commands that live in their own modules, imported only when called so that `floorplan migrate`
 * does not load the charting or benchmarking code.
 */
export const lazyCommands: Record<string, () => Promise<Command>> = {
  chart: async () => {
    const [{ runChartCommand }, { createChartLoaders }, { withDatabase }] = await Promise.all([
      import('./chart'),
      import('../../charts/data'),
      import('../database'),
    ]);
    return (args) => withDatabase((database) => runChartCommand(args, createChartLoaders(database.prisma)));
  },
  decide: async () => (await import('./decide')).runDecideCommand,
  import: async () => (await import('./import')).runImportCommand,
  eval: async () => (await import('./eval')).runEvalCommand,
  runner: async () => (await import('./runner')).runRunnerCommand,
  bench: async () => (await import('./bench')).runBenchCommand,
};
