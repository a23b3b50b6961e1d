import type { App, ViewOutput } from '@slack/bolt';
import { z } from 'zod';
import {
  ARGUMENT_FORM_FIELD,
  FORM_FIELD_ARGUMENT,
  KEEPABLE,
  type WorkloadFormMetadata,
} from '../../blocks/workload-modal';
import { tryParseWorkloadArguments } from '../../command-text/parse';
import { CallbackId, WorkloadFormField } from '../../constants';
import type { BotDependencies } from '../../dependencies';
import { answerKeep } from '../../flows/decision';
import type { ReplyTarget } from '../replies';

const metadataSchema = z.object({ channelId: z.string().nullable(), userId: z.string() });

function readMetadata(view: ViewOutput): WorkloadFormMetadata | undefined {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(view.private_metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Turns the form into command arguments, so the modal and `/floorplan keep …` share one validator. */
export function formValuesToArguments(values: ViewOutput['state']['values']): string[] {
  const tokens: string[] = [];
  for (const [field, prefix] of Object.entries(FORM_FIELD_ARGUMENT)) {
    const raw = values[field]?.[field]?.value?.trim();
    if (raw) tokens.push(`${prefix}${raw.replace(/\s+/g, '')}`);
  }
  const requirements =
    values[WorkloadFormField.requirements]?.[WorkloadFormField.requirements]?.selected_options ?? [];
  for (const option of requirements) {
    if (option.value === 'custom' || option.value === 'own-weights') tokens.push(option.value);
  }
  const kept = (values[WorkloadFormField.keeping]?.[WorkloadFormField.keeping]?.selected_options ?? [])
    .map((option) => option.value)
    .filter((value): value is string => KEEPABLE.some(([word]) => word === value));
  if (kept.length > 0) tokens.push(`keeping=${kept.join(',')}`);
  return tokens;
}

export function register(app: App, dependencies: BotDependencies): void {
  app.view(CallbackId.workloadForm, async ({ ack, view, body, client, logger }) => {
    const parsed = tryParseWorkloadArguments(formValuesToArguments(view.state.values));
    if (!parsed.ok) {
      // Keep the modal open and show the message beside the field it concerns.
      const field = ARGUMENT_FORM_FIELD[parsed.error.argument ?? ''] ?? WorkloadFormField.requests;
      await ack({
        response_action: 'errors',
        errors: { [field]: parsed.error.message.replaceAll('`', '').slice(0, 150) },
      });
      return;
    }
    await ack();
    const metadata = readMetadata(view);
    const target: ReplyTarget = {
      client,
      channelId: metadata?.channelId ?? undefined,
      userId: body.user.id,
      logger,
    };
    await answerKeep(dependencies, target, parsed.workload, parsed.keep);
  });
}
