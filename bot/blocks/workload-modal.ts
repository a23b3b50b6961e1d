import type { InputBlock, ModalView } from '@slack/web-api';
import { WORKLOAD_DEFAULTS } from '../command-text/parse';
import { CallbackId, WorkloadFormField } from '../constants';

/** What the modal remembers between opening and submission (where to answer). */
export interface WorkloadFormMetadata {
  channelId: string | null;
  userId: string;
}

function textInput(
  field: WorkloadFormField,
  label: string,
  placeholder: string,
  optional: boolean,
  hint?: string,
  initialValue?: string,
): InputBlock {
  const block: InputBlock = {
    type: 'input',
    block_id: field,
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: field,
      placeholder: { type: 'plain_text', text: placeholder },
      max_length: 100,
      ...(initialValue === undefined ? {} : { initial_value: initialValue }),
    },
  };
  if (hint !== undefined) block.hint = { type: 'plain_text', text: hint };
  return block;
}

/** The axes the form offers to keep, as `keeping=` words and their labels. */
export const KEEPABLE: readonly (readonly [string, string])[] = [
  ['fast', 'FAST: slower decode or first token'],
  ['cheap', 'CHEAP: over budget'],
  ['high-confidence', 'HIGH_CONFIDENCE: weaker evidence or quality'],
  ['controlled', 'CONTROLLED: weights with the platform'],
  ['available', 'AVAILABLE: later than needed'],
];

export function buildWorkloadModal(metadata: WorkloadFormMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.workloadForm,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Describe the workload' },
    submit: { type: 'plain_text', text: 'Decide' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput(
        WorkloadFormField.model,
        'Model variant',
        'llama-3.1-8b-lora',
        false,
        'Try /floorplan models for the list.',
      ),
      textInput(
        WorkloadFormField.requests,
        'Requests',
        '2000/day',
        false,
        'Per day or per month: 2000/day, 2k/day, 60k/month.',
      ),
      textInput(WorkloadFormField.inputTokens, 'Mean input tokens per request', '900', false),
      textInput(WorkloadFormField.outputTokens, 'Mean output tokens per request', '250', false),
      textInput(
        WorkloadFormField.activeHours,
        'Active hours per day',
        String(WORKLOAD_DEFAULTS.activeHoursPerDay),
        true,
        `Default ${WORKLOAD_DEFAULTS.activeHoursPerDay} (around the clock).`,
        String(WORKLOAD_DEFAULTS.activeHoursPerDay),
      ),
      textInput(
        WorkloadFormField.activeDays,
        'Active days per month',
        String(WORKLOAD_DEFAULTS.activeDaysPerMonth),
        true,
        `Default ${WORKLOAD_DEFAULTS.activeDaysPerMonth} (every day); 22 for weekdays.`,
        String(WORKLOAD_DEFAULTS.activeDaysPerMonth),
      ),
      textInput(
        WorkloadFormField.horizonMonths,
        'Horizon (months the workload runs)',
        String(WORKLOAD_DEFAULTS.horizonMonths),
        true,
        `Default ${WORKLOAD_DEFAULTS.horizonMonths}; a bought box is never charged over more.`,
        String(WORKLOAD_DEFAULTS.horizonMonths),
      ),
      textInput(
        WorkloadFormField.amortizationMonths,
        'Spread a bought box over (months)',
        '36',
        true,
        "Empty: the box's own figure, never longer than the horizon.",
      ),
      textInput(
        WorkloadFormField.minDecodeTokensPerSecond,
        'Minimum decode tokens/s per stream',
        '30',
        true,
        'FAST. Empty: no speed requirement.',
      ),
      textInput(
        WorkloadFormField.maxTtftMs,
        'Maximum time to first token, p95 (ms)',
        '800',
        true,
        'FAST. Empty: no limit.',
      ),
      textInput(WorkloadFormField.budget, 'Monthly budget (USD)', '500', true, 'CHEAP. Empty: no budget.'),
      textInput(
        WorkloadFormField.neededByDays,
        'Needed within (days)',
        '7',
        true,
        'AVAILABLE. Empty: no date.',
      ),
      textInput(
        WorkloadFormField.minAcceptedRate,
        'Minimum accepted answers',
        '80%',
        true,
        'HIGH_CONFIDENCE, as a percent or a fraction. Empty: none.',
      ),
      textInput(
        WorkloadFormField.region,
        'Region',
        WORKLOAD_DEFAULTS.region,
        true,
        `Default ${WORKLOAD_DEFAULTS.region}.`,
        WORKLOAD_DEFAULTS.region,
      ),
      textInput(
        WorkloadFormField.burstiness,
        'Burstiness of arrivals',
        '1',
        true,
        'Default 1 (Poisson); more = clustered bursts, which bill more windows on scale-to-zero paths.',
        '1',
      ),
      textInput(
        WorkloadFormField.peakToMean,
        'Peak-to-mean arrival rate',
        '1',
        true,
        'Default 1 (flat within active hours); 3 = the busiest hour sees 3x the mean. Capacity is sized for the peak.',
        '1',
      ),
      {
        type: 'input',
        block_id: WorkloadFormField.requirements,
        optional: true,
        label: { type: 'plain_text', text: 'Requirements' },
        element: {
          type: 'checkboxes',
          action_id: WorkloadFormField.requirements,
          options: [
            { text: { type: 'plain_text', text: 'Custom (fine-tuned) weights' }, value: 'custom' },
            { text: { type: 'plain_text', text: 'Weights must stay ours' }, value: 'own-weights' },
          ],
        },
      },
      {
        type: 'input',
        block_id: WorkloadFormField.keeping,
        optional: true,
        label: { type: 'plain_text', text: 'Constraints you keep (accept a shortfall on)' },
        hint: {
          type: 'plain_text',
          text: 'Empty: the answer lists the fewest constraints to keep for each path.',
        },
        element: {
          type: 'checkboxes',
          action_id: WorkloadFormField.keeping,
          options: KEEPABLE.map(([value, text]) => ({ text: { type: 'plain_text', text }, value })),
        },
      },
    ],
  };
}

/** The argument each modal field becomes, so the modal and the command share one validator. */
export const FORM_FIELD_ARGUMENT: Record<Exclude<WorkloadFormField, 'requirements' | 'keeping'>, string> = {
  [WorkloadFormField.model]: 'model=',
  [WorkloadFormField.requests]: 'requests=',
  [WorkloadFormField.inputTokens]: 'in=',
  [WorkloadFormField.outputTokens]: 'out=',
  [WorkloadFormField.activeHours]: 'hours=',
  [WorkloadFormField.activeDays]: 'days=',
  [WorkloadFormField.horizonMonths]: 'months=',
  [WorkloadFormField.amortizationMonths]: 'amortization=',
  [WorkloadFormField.minDecodeTokensPerSecond]: 'tps>=',
  [WorkloadFormField.maxTtftMs]: 'ttft<=',
  [WorkloadFormField.budget]: 'budget=',
  [WorkloadFormField.neededByDays]: 'needed-by=',
  [WorkloadFormField.minAcceptedRate]: 'accepted>=',
  [WorkloadFormField.region]: 'region=',
  [WorkloadFormField.burstiness]: 'burstiness=',
  [WorkloadFormField.peakToMean]: 'peak=',
};

/** Which form field an argument name from the parser belongs to, to place an error beside it. */
export const ARGUMENT_FORM_FIELD: Record<string, WorkloadFormField> = {
  model: WorkloadFormField.model,
  requests: WorkloadFormField.requests,
  in: WorkloadFormField.inputTokens,
  out: WorkloadFormField.outputTokens,
  hours: WorkloadFormField.activeHours,
  days: WorkloadFormField.activeDays,
  months: WorkloadFormField.horizonMonths,
  amortization: WorkloadFormField.amortizationMonths,
  keeping: WorkloadFormField.keeping,
  accepted: WorkloadFormField.minAcceptedRate,
  quality: WorkloadFormField.minAcceptedRate,
  region: WorkloadFormField.region,
  tps: WorkloadFormField.minDecodeTokensPerSecond,
  ttft: WorkloadFormField.maxTtftMs,
  budget: WorkloadFormField.budget,
  'needed-by': WorkloadFormField.neededByDays,
  burstiness: WorkloadFormField.burstiness,
  peak: WorkloadFormField.peakToMean,
};
