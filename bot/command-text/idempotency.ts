import { createHash } from 'node:crypto';

/**
 * Run triggers carry a key derived from the Slack request itself, so a Slack retry or a double click
 * sends the same key and the API creates one run (RELIABILITY promise 4). A user who deliberately
 * types the command again gets a new `trigger_id`, hence a new run.
 */
export function idempotencyKeyFor(parts: readonly (string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Length-prefixed, so ("ab", "c") and ("a", "bc") cannot collide.
    const value = part ?? '';
    hash.update(`${value.length}:${value};`);
  }
  return `slack:${hash.digest('hex').slice(0, 48)}`;
}

export function commandIdempotencyKey(input: {
  teamId: string;
  channelId: string;
  userId: string;
  triggerId: string;
  text: string;
}): string {
  return idempotencyKeyFor([
    'command',
    input.teamId,
    input.channelId,
    input.userId,
    input.triggerId,
    input.text.trim().replace(/\s+/g, ' '),
  ]);
}

/** One run per button per message per user: double clicks collapse; a new result message has a new button. */
export function buttonIdempotencyKey(input: {
  teamId: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  value: string;
  userId: string;
}): string {
  return idempotencyKeyFor([
    'button',
    input.teamId,
    input.channelId,
    input.messageTs,
    input.actionId,
    input.value,
    input.userId,
  ]);
}
