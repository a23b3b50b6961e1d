import type { KnownBlock } from '@slack/web-api';
import type { CommandError } from '../command-text/parse';
import type { GraphqlCallError } from '../floorplan-api';
import { escapeMrkdwn } from '../format/words';
import { context, fitMessage, type SlackMessage, section } from './limits';

/** Short ephemeral answers: what was wrong, and a command that works. */
export function buildCommandErrorMessage(error: CommandError): SlackMessage {
  const blocks: KnownBlock[] = [
    section(`:grey_question: ${error.message}`),
    context([`Try: \`${error.example}\``]),
  ];
  return fitMessage(`${error.message} Try: ${error.example}`, blocks);
}

export function buildRefusalMessage(whatWasAsked: string, whoCan: string): SlackMessage {
  const text = `Sorry, only operators can ${whatWasAsked}. ${whoCan} Ask one of them, or an admin to add you to FLOORPLAN_OPERATORS.`;
  return fitMessage(text, [section(`:lock: ${text}`)]);
}

/** What a request was trying to change, so an API failure can say what did (not) happen. */
export type AttemptedChange = 'none' | 'queue' | 'save';

/** True when the request never reached the API (nothing listening, no such host): nothing changed. */
export function neverReachedApi(error: GraphqlCallError): boolean {
  return /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\)/.test(error.message);
}

/** Why the API could not answer, in words that never include its address (users see this). */
export function apiFailureWords(error: unknown): string {
  if (!(error instanceof Error)) return 'it did not answer';
  if (/did not answer in time/.test(error.message)) return 'it did not answer in time';
  if (/not reachable/.test(error.message)) return 'it is not reachable';
  if (/HTTP 5\d\d|OVERLOADED|stream/.test(error.message)) return 'it answered with a server error';
  return 'it did not answer';
}

function outcomeOf(error: GraphqlCallError, change: AttemptedChange): string {
  if (change === 'none') return 'Nothing was saved or queued.';
  const what = change === 'queue' ? 'the run was queued' : 'the decision was saved';
  if (neverReachedApi(error)) return `Nothing was ${change === 'queue' ? 'queued' : 'saved'}.`;
  return change === 'queue'
    ? `I cannot tell whether ${what}: \`/floorplan runs\` shows it once the API answers, and the same button never queues twice.`
    : `I cannot tell whether ${what}: the Home tab shows it once the API answers.`;
}

export function buildApiErrorMessage(
  error: GraphqlCallError,
  example?: string,
  change: AttemptedChange = 'none',
): SlackMessage {
  const lead =
    error.kind === 'unavailable'
      ? `:warning: The floorplan API is not answering right now (${apiFailureWords(error)}), so I cannot answer from its evidence. ${outcomeOf(error, change)} Try again in a minute.`
      : error.kind === 'forbidden'
        ? `:lock: The floorplan API refused: ${escapeMrkdwn(error.message)}`
        : `:grey_question: ${escapeMrkdwn(error.message)}`;
  const blocks: KnownBlock[] = [section(lead)];
  if (example !== undefined && (error.kind === 'invalid-input' || error.kind === 'not-found')) {
    blocks.push(context([`Try: \`${example}\``]));
  }
  return fitMessage(lead.replace(/^:[a-z_]+: /, ''), blocks);
}

export function buildNoticeMessage(text: string): SlackMessage {
  return fitMessage(text, [section(text)]);
}
