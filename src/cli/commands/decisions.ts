import Decimal from 'decimal.js';
import {
  CliDecisionHistoryDocument,
  type CliDecisionHistoryQuery,
  type CliRecommendationFragment,
  CliUnwatchDecisionDocument,
  CliWatchDecisionDocument,
} from '../../../clients/graphql/operations.generated';
import { executeInProcess, InProcessGraphQLError } from '../../api/graphql/in-process';
import { LOCAL_CLI_IDENTITY } from '../../app/auth/identity';
import { formatMoney } from '../../domain/engine/money';
import { NotFoundError } from '../../domain/errors';
import { parseCommandArgs, UsageError } from '../command';
import { withDatabase } from '../database';

export const USAGE = [
  'Usage: npx floorplan decisions watch ID [--channel C] [--json]',
  '       npx floorplan decisions unwatch ID [--channel C] [--json]',
  '       npx floorplan decisions history ID [--json]',
  '  watch    re-check the saved decision ID whenever a price, benchmark result, SLO sweep, quality',
  '           evaluation or access attempt it rests on changes; with --channel (a Slack channel id,',
  '           e.g. C0123ABC), each new version is posted there by the API',
  '  unwatch  stop: with --channel only that channel, without every watch of ID (versions stay)',
  '  history  the saved answer, then every version recorded since: what moved and the inputs that',
  '           explain it (verified by answering again with only those inputs changed)',
  '  --json   the GraphQL answer itself (watchDecision, unwatchDecision, savedDecision)',
  'IDs: savedDecision ids, e.g. from saveDecision or { savedDecisions { id } }.',
].join('\n');

type History = CliDecisionHistoryQuery;
type Recommendation = CliRecommendationFragment;

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const channelText = (channel: string | null) => (channel ? `channel ${channel}` : 'no channel');
const recommendationText = (recommendation: Recommendation | null) =>
  recommendation
    ? `${recommendation.optionId} at ${formatMoney(new Decimal(recommendation.monthlyCost.amount), recommendation.monthlyCost.currency)}/month`
    : 'no recommendation';

export function formatHistory(data: History['savedDecision']): string {
  const lines = [
    `Saved decision ${data.id}, ${when(data.createdAt)} by ${data.createdBy}: ${recommendationText(data.decision.recommendation)}`,
    data.watches.length
      ? `Watched: ${data.watches.map((watch) => `${channelText(watch.channel)} (by ${watch.createdBy})`).join(', ')}`
      : `Not watched: npx floorplan decisions watch ${data.id} [--channel C]`,
  ];
  if (data.versions.length === 0) lines.push('No new versions: no change of evidence has moved it.');
  for (const version of data.versions) {
    lines.push(
      '',
      `${when(version.createdAt)}  ${version.summary}`,
      `  after: ${version.change ? `${version.change.kind} ${version.change.summary}${version.change.processedBy ? ` (re-evaluated by ${version.change.processedBy})` : ''}` : 'an evidence change'}`,
      `  now: ${recommendationText(version.decision.recommendation)}`,
    );
    for (const cause of version.causes)
      lines.push(
        `  ${cause.verified ? (cause.together ? 'verified together' : 'verified alone') : 'changed, not alone the reason'}: ${cause.kind} ${cause.input}`,
      );
  }
  return lines.join('\n');
}

export async function runDecisionsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'watch' && sub !== 'unwatch' && sub !== 'history')
    throw new UsageError(
      sub ? `unknown decisions command "${sub}": watch, unwatch or history` : 'watch, unwatch or history?',
    );
  const { values, positionals } = parseCommandArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...(sub === 'history' ? {} : { channel: { type: 'string' as const } }),
      json: { type: 'boolean', default: false },
    },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1)
    throw new UsageError(`give exactly one saved decision id, e.g. npx floorplan decisions ${sub} cmx4…`);
  const channel = typeof values.channel === 'string' ? values.channel : null;
  if (channel !== null && !/^[A-Z0-9]{2,}$/.test(channel))
    throw new UsageError(
      `--channel: "${channel}" is not a Slack channel id; give the id (e.g. C0123ABC, from the channel's details), not its name.`,
    );
  return withDatabase(async (database) => {
    try {
      if (sub === 'watch') {
        const data = await executeInProcess(database.prisma, LOCAL_CLI_IDENTITY, CliWatchDecisionDocument, {
          id,
          channel,
        });
        console.log(
          values.json
            ? JSON.stringify(data.watchDecision, null, 2)
            : [
                `Watching ${id} (${channelText(data.watchDecision.channel)}): every change of the evidence it rests on re-checks it; npx floorplan decisions history ${id} lists what moved.`,
                ...(data.watchDecision.channel
                  ? [
                      `Posts to ${data.watchDecision.channel} are sent by the API server (npm start) when it runs with SLACK_BOT_TOKEN, the bot's token; without it, new versions are recorded and wait, and the API logs a warning.`,
                    ]
                  : []),
              ].join('\n'),
        );
        return 0;
      }
      if (sub === 'unwatch') {
        const data = await executeInProcess(database.prisma, LOCAL_CLI_IDENTITY, CliUnwatchDecisionDocument, {
          id,
          channel,
        });
        const left = data.unwatchDecision.watches;
        console.log(
          values.json
            ? JSON.stringify(data.unwatchDecision, null, 2)
            : `Stopped watching ${id}${channel ? ` in ${channel}` : ''}.${left.length ? ` Still watched: ${left.map((watch) => channelText(watch.channel)).join(', ')}.` : ''}`,
        );
        return 0;
      }
      const data = await executeInProcess(database.prisma, LOCAL_CLI_IDENTITY, CliDecisionHistoryDocument, {
        id,
      });
      console.log(
        values.json ? JSON.stringify(data.savedDecision, null, 2) : formatHistory(data.savedDecision),
      );
      return 0;
    } catch (error) {
      // Not found and bad input are the API's own words, already naming what to fix.
      if (error instanceof InProcessGraphQLError) {
        console.error(`floorplan decisions ${sub}: ${error.message}`);
        return error.errors.some((item) => item.originalError instanceof NotFoundError) ? 1 : 2;
      }
      throw error;
    }
  });
}
