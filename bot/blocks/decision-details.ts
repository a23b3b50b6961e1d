import type { KnownBlock } from '@slack/web-api';
import type { Decision } from '../floorplan-api';
import { normalizeDollarsIn } from '../format/money';
import { escapeMrkdwn } from '../format/words';
import { describeKeptSet } from './decision';
import {
  BlockKitLimits,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';

/** The "Details" button: why the recommendation, every kept set, and every warning, by path. */
export function buildDecisionDetailsMessage(decision: Decision, modelVariant: string): SlackMessage {
  const blocks: KnownBlock[] = [header(`Details: ${modelVariant}`)];
  const optionsById = new Map(decision.paths.map((option) => [option.optionId, option]));
  if (decision.recommendation !== null && decision.recommendation.reasons.length > 0) {
    blocks.push(
      section(
        truncateLines(
          `*Why ${escapeMrkdwn(decision.recommendation.pathSlug)}*\n${decision.recommendation.reasons
            .map((reason) => `• ${escapeMrkdwn(normalizeDollarsIn(reason))}`)
            .join('\n')}`,
          BlockKitLimits.sectionText,
          '…',
        ),
      ),
    );
  }
  const keptLines = decision.minimalKeptSets.flatMap((keptSet) =>
    keptSet.unlocked.map(
      (unlocked) => `• ${describeKeptSet(keptSet.kept, unlocked, optionsById.get(unlocked.optionId))}`,
    ),
  );
  if (keptLines.length > 0)
    blocks.push(
      section(
        truncateLines(
          `*Every minimal set to keep*\n${keptLines.join('\n')}`,
          BlockKitLimits.sectionText,
          '…',
        ),
      ),
    );
  const byOption = new Map<string, string[]>();
  for (const warning of decision.warnings) {
    const list = byOption.get(warning.optionId) ?? [];
    list.push(`${warning.affectsRecommendation ? ':warning: ' : ''}${escapeMrkdwn(warning.message)}`);
    byOption.set(warning.optionId, list);
  }
  for (const [optionId, lines] of byOption) {
    blocks.push(
      section(
        truncateLines(
          `*${escapeMrkdwn(optionsById.get(optionId)?.pathSlug ?? optionId)}*\n${lines.map((line) => `• ${line}`).join('\n')}`,
          BlockKitLimits.sectionText,
          '…',
        ),
      ),
    );
  }
  if (byOption.size === 0)
    blocks.push(context(['No warnings: every figure rests on confirmed, current evidence.']));
  else blocks.push(context([':warning: marks the warnings that bear on the recommendation.']));
  return fitMessage(`Details for ${modelVariant}`, blocks, {
    overflowPointer: 'save the decision for all of it',
  });
}
