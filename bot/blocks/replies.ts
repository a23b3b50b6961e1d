import type { KnownBlock } from '@slack/web-api';
import type { CommandError } from '../commands/parse';
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

export function buildApiErrorMessage(error: GraphqlCallError, example?: string): SlackMessage {
  const lead =
    error.kind === 'unavailable'
      ? ':warning: The floorplan API is not answering right now, so I cannot answer from its evidence. Try again in a minute.'
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
