/** Every action, callback and block id the bot uses, in one place so listeners and builders agree. */
export const SLASH_COMMAND = '/floorplan';

export const ActionId = {
  runBenchmark: 'floorplan.run_benchmark',
  compareWithCloud: 'floorplan.compare_with_cloud',
  saveDecision: 'floorplan.save_decision',
  watchDecision: 'floorplan.watch_decision',
  decisionDetails: 'floorplan.decision_details',
  cancelRun: 'floorplan.cancel_run',
  runAgain: 'floorplan.run_again',
  refreshHome: 'floorplan.refresh_home',
} as const;
export type ActionId = (typeof ActionId)[keyof typeof ActionId];

export const CallbackId = {
  workloadForm: 'floorplan.workload_form',
} as const;

/** Block and action ids inside the workload modal; `view.state.values[block][action]` reads them back. */
export const WorkloadFormField = {
  model: 'model',
  requests: 'requests',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  activeHours: 'active_hours',
  activeDays: 'active_days',
  horizonMonths: 'horizon_months',
  amortizationMonths: 'amortization_months',
  minDecodeTokensPerSecond: 'min_tps',
  maxTtftMs: 'max_ttft_ms',
  budget: 'budget',
  neededByDays: 'needed_by_days',
  minAcceptedRate: 'min_accepted_rate',
  region: 'region',
  burstiness: 'burstiness',
  peakToMean: 'peak_to_mean',
  requirements: 'requirements',
  keeping: 'keeping',
} as const;
export type WorkloadFormField = (typeof WorkloadFormField)[keyof typeof WorkloadFormField];

/** The box a `bench` targets when none is named: the lab's only owned box. */
export const DEFAULT_BOX_SLUG = 'dgx-spark';
