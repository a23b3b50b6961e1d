import Decimal from 'decimal.js';
import type { Axis } from '../../domain/engine/axes';
import { type Decision, decide } from '../../domain/engine/decide';
import type { DecideOptions } from '../../domain/engine/evaluate';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { type DecisionAnswer, toAnswer, workloadOrThrow } from './answer';
import { loadEvidenceSnapshot } from './load-evidence';

/**
 * Watched decisions re-check themselves. Every evidence write records an EvidenceChange row; any
 * API replica claims the oldest unprocessed one with one UPDATE … FOR UPDATE (so each change is
 * handled once, in order, however many replicas poll), answers every watched decision again with the
 * evidence known at the change, and records a new version when the recommendation, a verdict, a kept
 * set or a cost moved by more than the threshold. Each version names the inputs that explain it, and
 * each explanation is checked: the decision is answered again from the evidence before the change
 * with only that input replaced, and the input is named only if that alone reproduces the move.
 */

export interface RecordedChange {
  kind: 'PRICE_VALUE' | 'BENCHMARK_RESULT' | 'QUALITY_EVALUATION' | 'ACCESS_ATTEMPT';
  subjectId: string;
  summary: string;
}

export async function recordEvidenceChange(
  tx: Prisma.TransactionClient,
  change: RecordedChange,
): Promise<void> {
  await tx.evidenceChange.create({ data: { ...change, createdAt: new Date() } });
}

export interface Move {
  what: 'RECOMMENDATION' | 'VERDICT' | 'KEPT_SETS' | 'COST';
  text: string;
}

export interface Cause {
  input: string;
  text: string;
  /** True when answering from the earlier evidence with only this input changed reproduces the move. */
  verified: boolean;
}

export interface Explanation {
  moves: Move[];
  causes: Cause[];
}

const usd = (amount: Decimal | string) => {
  const value = new Decimal(amount.toString());
  const [whole = '0', fraction = ''] = value.toFixed().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${grouped}${fraction ? `.${fraction.length < 2 ? fraction.padEnd(2, '0') : fraction}` : ''}`;
};

const recommended = (answer: DecisionAnswer) => answer.recommendation?.optionId ?? null;
const pathOf = (optionId: string | null) =>
  optionId ? (optionId.split('/')[0] ?? optionId) : 'no recommendation';

/** What moved between two answers; costs count when they moved by more than `threshold` (a fraction). */
export function movesBetween(before: DecisionAnswer, after: DecisionAnswer, threshold: Decimal): Move[] {
  const moves: Move[] = [];
  if (recommended(before) !== recommended(after))
    moves.push({
      what: 'RECOMMENDATION',
      text: `recommendation flipped from ${pathOf(recommended(before))} to ${pathOf(recommended(after))}`,
    });
  const beforeOptions = new Map(before.options.map((option) => [option.optionId, option]));
  for (const option of after.options) {
    const earlier = beforeOptions.get(option.optionId);
    if (!earlier) continue;
    for (const verdict of option.verdicts) {
      const was = earlier.verdicts.find((item) => item.axis === verdict.axis);
      if (was && was.pass !== verdict.pass)
        moves.push({
          what: 'VERDICT',
          text: `${option.optionId} now ${verdict.pass ? 'passes' : 'fails'} ${verdict.axis}`,
        });
    }
    const from = new Decimal(earlier.cost.total);
    const to = new Decimal(option.cost.total);
    if (!from.isZero() && to.minus(from).abs().div(from).greaterThan(threshold))
      moves.push({
        what: 'COST',
        text: `${option.optionId} costs ${usd(to.toDecimalPlaces(2))}/month (was ${usd(from.toDecimalPlaces(2))})`,
      });
  }
  const keptSets = (answer: DecisionAnswer) =>
    answer.keptSets
      .map(
        (set) => `${set.kept.join('+') || 'nothing'}→${set.unlocked.map((item) => item.optionId).join(',')}`,
      )
      .sort()
      .join(' | ');
  if (keptSets(before) !== keptSets(after))
    moves.push({ what: 'KEPT_SETS', text: 'the minimal kept sets changed' });
  return moves;
}

/**
 * The price inputs that differ between two snapshots, each tried alone on the earlier evidence: a
 * price is named as a cause when that single change reproduces the new recommendation (or, when the
 * recommendation held, moves the recommended cost the same way).
 */
function explain(
  workloadInput: unknown,
  options: DecideOptions,
  before: EvidenceSnapshot,
  after: EvidenceSnapshot,
  beforeAnswer: DecisionAnswer,
  afterAnswer: DecisionAnswer,
): Cause[] {
  const afterPrices = new Map(
    after.paths.flatMap((path) => path.priceComponents.map((price) => [price.id, price])),
  );
  const causes: Cause[] = [];
  for (const path of before.paths) {
    for (const price of path.priceComponents) {
      const now = afterPrices.get(price.id);
      if (!now || now.amount.equals(price.amount)) continue;
      const trial: EvidenceSnapshot = {
        ...before,
        paths: before.paths.map((item) =>
          item.slug !== path.slug
            ? item
            : {
                ...item,
                priceComponents: item.priceComponents.map((component) =>
                  component.id === price.id ? now : component,
                ),
              },
        ),
      };
      const alone = toAnswer(decide(workloadOrThrow(workloadInput, trial), trial, options));
      const verified =
        recommended(beforeAnswer) !== recommended(afterAnswer)
          ? recommended(alone) === recommended(afterAnswer)
          : recommended(alone) !== null &&
            alone.recommendation?.monthlyCost !== beforeAnswer.recommendation?.monthlyCost;
      causes.push({
        input: price.id,
        verified,
        text: `${price.id} ${now.amount.greaterThan(price.amount) ? 'rose' : 'fell'} from ${usd(price.amount)} to ${usd(now.amount)} on ${now.asOf}`,
      });
    }
  }
  return causes.sort((a, b) => Number(b.verified) - Number(a.verified));
}

export interface VersionRecorded {
  versionId: string;
  decisionId: string;
  summary: string;
  channels: string[];
}

const CLAIM_TIMEOUT_MS = 5 * 60_000;

/**
 * Handles the oldest unprocessed evidence change, if any: returns what it recorded, or null when
 * there was nothing to claim (another replica has it, or none is waiting).
 */
export async function reevaluateNextChange(
  prisma: PrismaClient,
  replica: string,
  threshold: Decimal = new Decimal('0.05'),
): Promise<{ changeId: string; versions: VersionRecorded[] } | null> {
  const stale = new Date(Date.now() - CLAIM_TIMEOUT_MS);
  // One change at a time across replicas, oldest first, so each re-evaluation starts from the
  // version the previous change left: a change is claimed only while no other claim is in flight,
  // and a replica that waited on the row lock finds it claimed and takes nothing this round.
  const claimed = await prisma.$queryRaw<{ id: string; createdAt: Date }[]>`
    UPDATE "EvidenceChange" SET "processedBy" = ${replica}, "claimedAt" = ${new Date()}
    WHERE "id" = (
      SELECT "id" FROM "EvidenceChange"
      WHERE "processedAt" IS NULL AND ("claimedAt" IS NULL OR "claimedAt" < ${stale})
        AND NOT EXISTS (
          SELECT 1 FROM "EvidenceChange" AS "other"
          WHERE "other"."processedAt" IS NULL AND "other"."claimedAt" >= ${stale}
        )
      ORDER BY "createdAt", "id" LIMIT 1
      FOR UPDATE
    )
    RETURNING "id", "createdAt"`;
  const change = claimed[0];
  if (!change) return null;
  const watched = await prisma.decision.findMany({
    where: { watches: { some: {} } },
    include: {
      workload: true,
      watches: true,
      versions: { orderBy: { createdAt: 'desc' }, take: 1 },
    },
    orderBy: { createdAt: 'asc' },
  });
  const versions: VersionRecorded[] = [];
  const after = await loadEvidenceSnapshot(prisma, change.createdAt);
  for (const decision of watched) {
    const latest = decision.versions[0];
    const since = latest?.createdAt ?? decision.createdAt;
    if (since.getTime() >= change.createdAt.getTime()) continue;
    const beforeAnswer = (latest?.answer ?? decision.answer) as unknown as DecisionAnswer;
    const options: DecideOptions = decision.keep.length ? { keep: decision.keep as Axis[] } : {};
    let afterDecision: Decision;
    try {
      afterDecision = decide(workloadOrThrow(decision.workload.input, after), after, options);
    } catch {
      continue; // A workload the evidence no longer accepts (a removed model) is not re-answered here.
    }
    const afterAnswer = toAnswer(afterDecision);
    const moves = movesBetween(beforeAnswer, afterAnswer, threshold);
    if (moves.length === 0) continue;
    const before = await loadEvidenceSnapshot(prisma, since);
    const causes = explain(decision.workload.input, options, before, after, beforeAnswer, afterAnswer);
    const verified = causes.filter((cause) => cause.verified);
    const headline = moves[0]?.text ?? 'the answer changed';
    const summary = verified.length
      ? `${headline} because ${verified.map((cause) => cause.text).join(' and ')}`
      : `${headline}; no single price change explains it alone (results, evaluations or access changed too)`;
    const explanation: Explanation = { moves, causes };
    const version = await prisma.decisionVersion.upsert({
      where: { decisionId_changeId: { decisionId: decision.id, changeId: change.id } },
      create: {
        decisionId: decision.id,
        changeId: change.id,
        answer: afterAnswer as unknown as object,
        explanation: explanation as unknown as object,
        summary,
        createdAt: change.createdAt,
      },
      update: {},
    });
    versions.push({
      versionId: version.id,
      decisionId: decision.id,
      summary,
      channels: decision.watches.flatMap((watch) => (watch.channel ? [watch.channel] : [])),
    });
  }
  await prisma.evidenceChange.update({ where: { id: change.id }, data: { processedAt: new Date() } });
  return { changeId: change.id, versions };
}

export interface WatchNotifier {
  post(channel: string, text: string): Promise<void>;
}

/**
 * Posts each new version once: the row is claimed by setting notifiedAt before posting, so two
 * replicas never both post it. A failed post clears the claim for the next round.
 */
export async function notifyVersions(
  prisma: PrismaClient,
  notifier: WatchNotifier,
  publicUrl: string,
): Promise<number> {
  const pending = await prisma.decisionVersion.findMany({
    where: { notifiedAt: null },
    include: { decision: { include: { watches: true } } },
    orderBy: { createdAt: 'asc' },
    take: 20,
  });
  let posted = 0;
  for (const version of pending) {
    const claim = await prisma.decisionVersion.updateMany({
      where: { id: version.id, notifiedAt: null },
      data: { notifiedAt: new Date() },
    });
    if (claim.count === 0) continue;
    const link = `${publicUrl.replace(/\/$/, '')}/decisions/${version.decisionId}/versions/${version.id}.json`;
    try {
      for (const watch of version.decision.watches) {
        if (!watch.channel) continue;
        await notifier.post(
          watch.channel,
          `Your saved decision ${version.decisionId} changed: ${version.summary}. Before and after: ${link}`,
        );
        posted += 1;
      }
    } catch (error) {
      await prisma.decisionVersion.update({ where: { id: version.id }, data: { notifiedAt: null } });
      throw error;
    }
  }
  return posted;
}

/** Drains every waiting change, then posts; what one poll of the watcher does. */
export async function runWatchRound(
  prisma: PrismaClient,
  replica: string,
  notifier: WatchNotifier | null,
  publicUrl: string,
): Promise<number> {
  let handled = 0;
  while (await reevaluateNextChange(prisma, replica)) handled += 1;
  if (notifier) await notifyVersions(prisma, notifier, publicUrl);
  return handled;
}

/**
 * Polls for evidence changes on an interval (every replica may: the claim makes each change
 * handled once). Returns a stop function that waits for a round in progress.
 */
export function startDecisionWatcher(
  prisma: PrismaClient,
  options: {
    replica: string;
    notifier: WatchNotifier | null;
    publicUrl: string;
    intervalMs: number;
    onError?: (error: unknown) => void;
  },
): () => Promise<void> {
  let stopped = false;
  let round: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    round = runWatchRound(prisma, options.replica, options.notifier, options.publicUrl)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  let timer = setTimeout(tick, options.intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await round;
  };
}
