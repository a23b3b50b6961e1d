import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/web-api';

/**
 * Block Kit's documented limits. Slack rejects a message that breaks any of them (`invalid_blocks`,
 * `msg_blocks_too_long`), so every builder goes through these helpers and truncates with a pointer
 * to the rest instead of letting Slack refuse the whole answer.
 */
export const BlockKitLimits = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Slack answers `msg_blocks_too_long` around 13k characters; stay clear of it. */
  messageCharacters: 12_000,
  /** Fallback `text` shown in notifications. */
  notificationText: 3000,
  modalTitle: 24,
  optionText: 75,
} as const;

const ELLIPSIS = '…';

/** Cuts text to `max` characters, ending with `suffix` (default an ellipsis) so the cut is visible. */
export function truncateText(text: string, max: number, suffix = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (suffix.length >= max) return suffix.slice(0, max);
  return `${text.slice(0, max - suffix.length)}${suffix}`;
}

/** Cuts text at a line boundary when possible, for preformatted tables. */
export function truncateLines(text: string, max: number, suffix: string): string {
  if (text.length <= max) return text;
  const room = max - suffix.length - 1;
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > 0 ? cut : Math.max(room, 0))}\n${suffix}`.slice(0, max);
}

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncateText(text, BlockKitLimits.headerText), emoji: true },
  };
}

export function section(markdown: string, accessory?: SectionBlock['accessory']): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateText(markdown || ' ', BlockKitLimits.sectionText) },
  };
  if (accessory !== undefined) block.accessory = accessory;
  return block;
}

export function fieldsSection(fields: readonly string[]): SectionBlock {
  return {
    type: 'section',
    fields: fields
      .slice(0, BlockKitLimits.fieldsPerSection)
      .map((field) => ({ type: 'mrkdwn', text: truncateText(field || ' ', BlockKitLimits.fieldText) })),
  };
}

export function context(texts: readonly string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, BlockKitLimits.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncateText(text || ' ', BlockKitLimits.sectionText) })),
  };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const element: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncateText(text, BlockKitLimits.buttonText), emoji: true },
    action_id: truncateText(actionId, BlockKitLimits.actionId, ''),
    value: truncateText(value, BlockKitLimits.buttonValue, ''),
  };
  if (style !== undefined) element.style = style;
  return element;
}

export function actions(elements: readonly Button[], blockId?: string): ActionsBlock {
  const block: ActionsBlock = {
    type: 'actions',
    elements: elements.slice(0, BlockKitLimits.actionsElements),
  };
  if (blockId !== undefined) block.block_id = truncateText(blockId, BlockKitLimits.actionId, '');
  return block;
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

/**
 * Splits a long preformatted table into as many code-block sections as needed, each under the
 * section limit, cutting only between lines.
 */
export function codeSections(lines: readonly string[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  const room = BlockKitLimits.sectionText - 8; // the two ``` fences and their newlines
  let current: string[] = [];
  let length = 0;
  for (const rawLine of lines) {
    const line = truncateText(rawLine, room);
    if (current.length > 0 && length + line.length + 1 > room) {
      sections.push(section(`\`\`\`\n${current.join('\n')}\n\`\`\``));
      current = [];
      length = 0;
    }
    current.push(line);
    length += line.length + 1;
  }
  if (current.length > 0) sections.push(section(`\`\`\`\n${current.join('\n')}\n\`\`\``));
  return sections;
}

export interface SlackMessage {
  /** Notification and accessibility fallback; also what clients without Block Kit show. */
  text: string;
  blocks: KnownBlock[];
}

function blocksCharacters(blocks: readonly KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

/**
 * The last guard of every builder: at most `maxBlocks` blocks and `messageCharacters` in total.
 * What does not fit is replaced by one context block saying how much was left out and where the rest
 * is (`overflowPointer`, e.g. "/floorplan paths page=2" or a link). Blocks marked `keepLast`
 * (the buttons) survive truncation so the message stays actionable.
 */
export function fitMessage(
  text: string,
  blocks: readonly KnownBlock[],
  options: { overflowPointer?: string; maxBlocks?: number; keepLast?: number } = {},
): SlackMessage {
  const maxBlocks = options.maxBlocks ?? BlockKitLimits.blocksPerMessage;
  const keepLast = Math.min(options.keepLast ?? 0, blocks.length);
  const tail = blocks.slice(blocks.length - keepLast);
  let body = blocks.slice(0, blocks.length - keepLast);
  const fallbackText = truncateText(text, BlockKitLimits.notificationText);
  const fits = (candidate: readonly KnownBlock[]) =>
    candidate.length <= maxBlocks &&
    blocksCharacters(candidate) + fallbackText.length <= BlockKitLimits.messageCharacters;
  if (fits([...body, ...tail])) return { text: fallbackText, blocks: [...body, ...tail] };

  const originalCount = body.length;
  const overflowNote = (dropped: number): KnownBlock =>
    context([
      `${ELLIPSIS} ${dropped} more ${dropped === 1 ? 'block' : 'blocks'} not shown${
        options.overflowPointer ? `: ${options.overflowPointer}` : ''
      }`,
    ]);
  while (body.length > 0 && !fits([...body, overflowNote(originalCount - body.length), ...tail])) {
    body = body.slice(0, -1);
  }
  return { text: fallbackText, blocks: [...body, overflowNote(originalCount - body.length), ...tail] };
}
