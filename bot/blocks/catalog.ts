import type { KnownBlock } from '@slack/web-api';
import { EXAMPLES } from '../command-text/parse';
import { SLASH_COMMAND } from '../constants';
import type { BoxEntry, ModelVariantEntry } from '../floorplan-api';
import { formatMoney } from '../format/money';
import { escapeMrkdwn, formatNumber } from '../format/words';
import {
  BlockKitLimits,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';

/** `/floorplan models`: every model variant a workload or a benchmark can name, grouped by model. */
export function buildModelsMessage(variants: readonly ModelVariantEntry[]): SlackMessage {
  const byModel = new Map<string, ModelVariantEntry[]>();
  for (const variant of [...variants].sort((a, b) => a.slug.localeCompare(b.slug))) {
    const list = byModel.get(variant.model.name) ?? [];
    list.push(variant);
    byModel.set(variant.model.name, list);
  }
  const blocks: KnownBlock[] = [header(`Models you can ask about (${variants.length})`)];
  if (variants.length === 0) blocks.push(section('No model variants are in the catalog yet.'));
  for (const [modelName, list] of byModel) {
    const lines = list.map(
      (variant) =>
        `• \`${escapeMrkdwn(variant.slug)}\` ${escapeMrkdwn(variant.name)}${variant.isFineTuned ? ' · fine-tuned' : ' · base'}${
          variant.weightsExportable ? '' : ' · weights stay with the platform'
        }`,
    );
    blocks.push(
      section(
        truncateLines(`*${escapeMrkdwn(modelName)}*\n${lines.join('\n')}`, BlockKitLimits.sectionText, '…'),
      ),
    );
  }
  blocks.push(context([`Use a slug as \`model=\`: \`${EXAMPLES.keep}\``]));
  return fitMessage(`${variants.length} model variants`, blocks, { overflowPointer: 'the rest in GraphiQL' });
}

/** `/floorplan boxes`: the boxes in the catalog, what `bench … box=` measures on. */
export function buildBoxesMessage(boxes: readonly BoxEntry[]): SlackMessage {
  const blocks: KnownBlock[] = [header(`Boxes (${boxes.length})`)];
  if (boxes.length === 0) blocks.push(section('No boxes are in the catalog yet.'));
  const lines = [...boxes]
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map(
      (box) =>
        `• \`${escapeMrkdwn(box.slug)}\` ${escapeMrkdwn(box.name)} · ${escapeMrkdwn(box.acceleratorClass)} · ${formatNumber(
          Number(box.memoryGiB),
          0,
        )} GiB · ${
          // A rented box has no purchase price: its paths price it per instance-hour.
          box.ownership === 'RENTED' || box.purchasePrice === null
            ? 'rented (priced per instance-hour on its paths)'
            : `owned, bought for ${formatMoney(box.purchasePrice)}`
        }`,
    );
  for (let start = 0; start < lines.length; start += 20) {
    blocks.push(
      section(truncateLines(lines.slice(start, start + 20).join('\n'), BlockKitLimits.sectionText, '…')),
    );
  }
  blocks.push(
    context([`Benchmark on one: \`${SLASH_COMMAND} bench llama-3.1-8b-lora concurrency=1,8 box=<slug>\``]),
  );
  return fitMessage(`${boxes.length} boxes`, blocks);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The slugs closest to what was typed (at most three), nearest first; none when nothing is close. */
export function closestSlugs(typed: string, slugs: readonly string[]): string[] {
  const wanted = typed.toLowerCase();
  return slugs
    .map((slug) => ({
      slug,
      distance: slug.includes(wanted) || wanted.includes(slug) ? 0.5 : editDistance(wanted, slug),
    }))
    .filter(({ distance }) => distance <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.slug.localeCompare(b.slug))
    .slice(0, 3)
    .map(({ slug }) => slug);
}

/** "I don't know the model `llama-3.1-8b-lra`. Did you mean `llama-3.1-8b-lora`?" and the list command. */
export function buildUnknownModelMessage(
  typed: string,
  suggestions: readonly string[],
  example?: string,
): SlackMessage {
  const guess =
    suggestions.length === 0
      ? ''
      : ` Did you mean ${suggestions.map((slug) => `\`${escapeMrkdwn(slug)}\``).join(' or ')}?`;
  const text = `:grey_question: I don't know the model \`${escapeMrkdwn(typed)}\`.${guess} \`${SLASH_COMMAND} models\` lists the ones you can ask about.`;
  const blocks: KnownBlock[] = [section(text)];
  if (example !== undefined) blocks.push(context([`Try: \`${example}\``]));
  return fitMessage(text.replace(/^:[a-z_]+: /, ''), blocks);
}
