import type { Command } from '../command';

/**
 * Commands that live in their own modules, imported only when called so that `floorplan migrate`
 * does not load the charting or benchmarking code.
 */
export const lazyCommands: Record<string, () => Promise<Command>> = {};
