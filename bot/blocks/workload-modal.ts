import type { InputBlock, ModalView } from '@slack/web-api';
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
    },
  };
  if (hint !== undefined) block.hint = { type: 'plain_text', text: hint };
  return block;
}

export function buildWorkloadModal(metadata: WorkloadFormMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.workloadForm,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Describe the workload' },
    submit: { type: 'plain_text', text: 'Decide' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput(WorkloadFormField.model, 'Model variant', 'llama-3.1-8b-lora', true),
      textInput(
        WorkloadFormField.requests,
        'Requests',
        '40000/day',
        false,
        'A number per day, or per month with /month.',
      ),
      textInput(WorkloadFormField.inputTokens, 'Mean input tokens per request', '900', false),
      textInput(WorkloadFormField.outputTokens, 'Mean output tokens per request', '250', false),
      textInput(WorkloadFormField.activeHours, 'Active hours per day', '10', true),
      textInput(WorkloadFormField.minDecodeTokensPerSecond, 'Minimum decode tokens/s per stream', '30', true),
      textInput(WorkloadFormField.maxTtftMs, 'Maximum time to first token, p95 (ms)', '800', true),
      textInput(WorkloadFormField.budget, 'Monthly budget (USD)', '500', true),
      textInput(WorkloadFormField.neededByDays, 'Needed within (days)', '7', true),
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
    ],
  };
}

/** The argument each modal field becomes, so the modal and the command share one validator. */
export const FORM_FIELD_ARGUMENT: Record<Exclude<WorkloadFormField, 'requirements'>, string> = {
  [WorkloadFormField.model]: 'model=',
  [WorkloadFormField.requests]: 'requests=',
  [WorkloadFormField.inputTokens]: 'in=',
  [WorkloadFormField.outputTokens]: 'out=',
  [WorkloadFormField.activeHours]: 'hours=',
  [WorkloadFormField.minDecodeTokensPerSecond]: 'tps>=',
  [WorkloadFormField.maxTtftMs]: 'ttft<=',
  [WorkloadFormField.budget]: 'budget=',
  [WorkloadFormField.neededByDays]: 'needed-by=',
};

/** Which form field an argument name from the parser belongs to, to place an error beside it. */
export const ARGUMENT_FORM_FIELD: Record<string, WorkloadFormField> = {
  model: WorkloadFormField.model,
  requests: WorkloadFormField.requests,
  in: WorkloadFormField.inputTokens,
  out: WorkloadFormField.outputTokens,
  hours: WorkloadFormField.activeHours,
  tps: WorkloadFormField.minDecodeTokensPerSecond,
  ttft: WorkloadFormField.maxTtftMs,
  budget: WorkloadFormField.budget,
  'needed-by': WorkloadFormField.neededByDays,
};
