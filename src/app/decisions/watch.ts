import Decimal from 'decimal.js';
import type { Axis } from '../../domain/engine/axes';
import { type Decision, decide } from '../../domain/engine/decide';
import type { DecideOptions } from '../../domain/engine/evaluate';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import { valueAt } from '../../domain/price-history';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { type DecisionAnswer, STORED_ANALYSES, toAnswer, workloadOrThrow } from './answer';
import {
  type AnsweredOption,
  type ChangeScope,
  type EvidenceKind,
  inputChanges,
  scopeTouches,
  usd,
} from './evidence-diff';
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
  kind: EvidenceKind;
  subjectId: string;
  summary: string;
}

/** Called inside the transaction that writes the evidence, so the change exists exactly when it does. */
export async function recordEvidenceChange(
  tx: Prisma.TransactionClient,
  change: RecordedChange,
): Promise<void> {
  await tx.evidenceChange.create({ data: { ...change, createdAt: new Date() } });
}

export interface Move {
  what: 'RECOMMENDATION' | 'VERDICT' | 'KEPT_SETS' | 'COST';
  text: string;
  /** The option a verdict or cost move is about. */
  optionId?: string;
}

export interface Cause {
  kind: EvidenceKind;
  input: string;
  text: string;
  /**
   * True when answering from the earlier evidence with only this input changed (or, when no single
   * input does, with only the inputs marked `together`) reproduces the move.
   */
  verified: boolean;
  together?: boolean;
}

export interface Explanation {
  moves: Move[];
  causes: Cause[];
}

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
          optionId: option.optionId,
          text: `${option.optionId} now ${verdict.pass ? 'passes' : 'fails'} ${verdict.axis}`,
        });
    }
    const from = new Decimal(earlier.cost.total);
    const to = new Decimal(option.cost.total);
    if (!from.isZero() && to.minus(from).abs().div(from).greaterThan(threshold))
      moves.push({
        what: 'COST',
        optionId: option.optionId,
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

/** True when `trial` moved from `before` the way `headline` says (a cost in the same direction). */
function reproduces(
  headline: Move,
  before: DecisionAnswer,
  after: DecisionAnswer,
  trial: DecisionAnswer,
  threshold: Decimal,
): boolean {
  if (headline.what === 'RECOMMENDATION') return recommended(trial) === recommended(after);
  const trialMoves = movesBetween(before, trial, threshold);
  if (headline.what !== 'COST') return trialMoves.some((move) => move.text === headline.text);
  const costOf = (answer: DecisionAnswer) =>
    answer.options.find((option) => option.optionId === headline.optionId)?.cost.total;
  const [was, now, tried] = [costOf(before), costOf(after), costOf(trial)];
  if (was === undefined || now === undefined || tried === undefined) return false;
  const direction = (to: Decimal.Value) => new Decimal(to).comparedTo(new Decimal(was));
  return (
    trialMoves.some((move) => move.what === 'COST' && move.optionId === headline.optionId) &&
    direction(tried) === direction(now)
  );
}

/**
 * The inputs that differ between the two snapshots, each tried alone on the earlier evidence: an
 * input is named as a cause when that single change reproduces the headline move. When none does
 * alone, all of them together are tried (and named together when that reproduces it).
 */
function explain(
  workloadInput: unknown,
  options: DecideOptions,
  before: EvidenceSnapshot,
  after: EvidenceSnapshot,
  beforeAnswer: DecisionAnswer,
  afterAnswer: DecisionAnswer,
  headline: Move,
  threshold: Decimal,
): Cause[] {
  const answerFrom = (snapshot: EvidenceSnapshot) =>
    toAnswer(decide(workloadOrThrow(workloadInput, snapshot), snapshot, options));
  const changes = inputChanges(before, after);
  const causes: Cause[] = changes.map((change) => {
    let verified = false;
    try {
      const alone = answerFrom(change.applyTo(before));
      verified = reproduces(headline, beforeAnswer, afterAnswer, alone, threshold);
    } catch {
      verified = false;
    }
    return { kind: change.kind, input: change.input, text: change.text, verified };
  });
  if (changes.length > 1 && !causes.some((cause) => cause.verified)) {
    try {
      const all = answerFrom(changes.reduce((snapshot, change) => change.applyTo(snapshot), before));
      if (reproduces(headline, beforeAnswer, afterAnswer, all, threshold))
        for (const cause of causes) Object.assign(cause, { verified: true, together: true });
    } catch {
      // The inputs together do not make an answerable snapshot: leave them unverified.
    }
  }
  return causes.sort((a, b) => Number(b.verified) - Number(a.verified));
}

/**
 * The paths, boxes and variants a change is about, read from the row it records (a capacity fact's
 * is read once per change by the caller and passed in).
 */
async function scopeOf(
  prisma: PrismaClient,
  change: { kind: string; subjectId: string },
  capacityFact: CapacityFactChange | null,
): Promise<ChangeScope> {
  const none: ChangeScope = { pathSlugs: [], boxSlugs: [], variantSlugs: [] };
  const slugs = (...items: ({ slug: string } | null | undefined)[]) =>
    items.flatMap((item) => (item ? [item.slug] : []));
  switch (change.kind) {
    case 'PRICE_VALUE': {
      const value = await prisma.priceValue.findUnique({
        where: { id: change.subjectId },
        select: { component: { select: { path: { select: { slug: true } } } } },
      });
      return value ? { ...none, pathSlugs: slugs(value.component.path) } : none;
    }
    case 'BENCHMARK_RESULT': {
      const result = await prisma.benchmarkResult.findUnique({
        where: { id: change.subjectId },
        select: {
          path: { select: { slug: true } },
          box: { select: { slug: true } },
          variant: { select: { slug: true } },
        },
      });
      return result
        ? { pathSlugs: slugs(result.path), boxSlugs: slugs(result.box), variantSlugs: slugs(result.variant) }
        : none;
    }
    case 'SLO_SWEEP': {
      const sweep = await prisma.sloSweep.findUnique({
        where: { id: change.subjectId },
        select: { box: { select: { slug: true } }, variant: { select: { slug: true } } },
      });
      return sweep ? { ...none, boxSlugs: slugs(sweep.box), variantSlugs: slugs(sweep.variant) } : none;
    }
    case 'QUALITY_EVALUATION': {
      // The engine reads quality per variant, whatever path it was measured on.
      const evaluation = await prisma.qualityEvaluation.findUnique({
        where: { id: change.subjectId },
        select: { variant: { select: { slug: true } } },
      });
      return evaluation ? { ...none, variantSlugs: slugs(evaluation.variant) } : none;
    }
    case 'ACCESS_ATTEMPT': {
      const attempt = await prisma.accessAttempt.findUnique({
        where: { id: change.subjectId },
        select: { accessPath: { select: { servingPath: { select: { slug: true } } } } },
      });
      if (!attempt) return none;
      const servingPath = attempt.accessPath.servingPath;
      return servingPath ? { ...none, pathSlugs: [servingPath.slug] } : { ...none, touchesNothing: true };
    }
    case 'CAPACITY_FACT':
      return capacityFact ? { ...none, pathSlugs: [capacityFact.pathSlug] } : none;
    default:
      return none;
  }
}

/**
 * The capacity fact a CAPACITY_FACT change is about, through the audit row it names, with the value
 * before it (facts are edited in place; the audit keeps the old row). Null when either is gone.
 */
interface CapacityFactChange {
  slug: string;
  pathSlug: string;
  before: { value: string } | null;
}

async function capacityFactOfChange(
  prisma: PrismaClient,
  auditId: string,
): Promise<CapacityFactChange | null> {
  const audit = await prisma.auditEvent.findUnique({ where: { id: auditId } });
  if (!audit) return null;
  const fact = await prisma.capacityFact.findUnique({
    where: { id: audit.entityId },
    select: { slug: true, path: { select: { slug: true } } },
  });
  if (!fact) return null;
  const before = audit.before as { value?: unknown } | null;
  return {
    slug: fact.slug,
    pathSlug: fact.path.slug,
    before: before && before.value != null ? { value: String(before.value) } : null,
  };
}

/**
 * The earlier evidence as it stood before a capacity fact changed: facts have no dated history, so a
 * snapshot loaded for any moment holds today's value; the change's audit row gives the old one (or
 * says the fact was new), so the explanation can try the change alone.
 */
function beforeCapacityChange(snapshot: EvidenceSnapshot, fact: CapacityFactChange | null): EvidenceSnapshot {
  if (!fact) return snapshot;
  return {
    ...snapshot,
    paths: snapshot.paths.map((path) =>
      path.slug !== fact.pathSlug
        ? path
        : {
            ...path,
            capacityAssumptions: fact.before
              ? path.capacityAssumptions.map((item) =>
                  item.id === fact.slug ? { ...item, value: Number(fact.before?.value) } : item,
                )
              : path.capacityAssumptions.filter((item) => item.id !== fact.slug),
          },
    ),
  };
}

/** Every option an answer weighed, with the variants it served, asked for, and their base models. */
function answeredOptions(answer: DecisionAnswer, evidence: EvidenceSnapshot): AnsweredOption[] {
  const baseOf = new Map(evidence.models.map((model) => [model.slug, model.baseModelSlug]));
  const withBases = (...slugs: string[]) => [
    ...new Set(slugs.flatMap((slug) => [slug, baseOf.get(slug) ?? slug])),
  ];
  return [
    ...answer.options.map((option) => ({
      pathSlug: option.pathSlug,
      variantSlugs: withBases(option.servedVariantSlug, option.requestedVariantSlug),
    })),
    ...answer.notEligible.map((option) => ({
      pathSlug: option.pathSlug,
      variantSlugs: withBases(option.variantSlug),
    })),
    ...answer.excluded.map((option) => ({
      pathSlug: option.pathSlug,
      variantSlugs: withBases(option.variantSlug),
    })),
  ];
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
): Promise<{ changeId: string; reevaluated: string[]; versions: VersionRecorded[] } | null> {
  const stale = new Date(Date.now() - CLAIM_TIMEOUT_MS);
  // One change at a time across replicas, oldest first, so each re-evaluation starts from the
  // version the previous change left: a change is claimed only while no other claim is in flight,
  // and a replica that waited on the row lock finds it claimed and takes nothing this round.
  const claimed = await prisma.$queryRaw<{ id: string; createdAt: Date; kind: string; subjectId: string }[]>`
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
    RETURNING "id", "createdAt", "kind", "subjectId"`;
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
  const reevaluated: string[] = [];
  const after = await loadEvidenceSnapshot(prisma, change.createdAt);
  const capacityFact =
    change.kind === 'CAPACITY_FACT' ? await capacityFactOfChange(prisma, change.subjectId) : null;
  const scope = await scopeOf(prisma, change, capacityFact);
  const boxOfPath = new Map(after.paths.map((path) => [path.slug, path.boxSlug]));
  for (const decision of watched) {
    const latest = decision.versions[0];
    const since = latest?.createdAt ?? decision.createdAt;
    if (since.getTime() >= change.createdAt.getTime()) continue;
    const beforeAnswer = (latest?.answer ?? decision.answer) as unknown as DecisionAnswer;
    // Only the decisions whose evidence the change is about: a path (or its box) and a variant
    // they weighed.
    if (!scopeTouches(scope, answeredOptions(beforeAnswer, after), boxOfPath)) continue;
    reevaluated.push(decision.id);
    // The same analyses as the saved answer, so versions compare like with like.
    const options: DecideOptions = {
      ...(decision.keep.length ? { keep: decision.keep as Axis[] } : {}),
      analyses: STORED_ANALYSES,
    };
    let afterDecision: Decision;
    try {
      afterDecision = decide(workloadOrThrow(decision.workload.input, after), after, options);
    } catch {
      continue; // A workload the evidence no longer accepts (a removed model) is not re-answered here.
    }
    const afterAnswer = toAnswer(afterDecision);
    const moves = movesBetween(beforeAnswer, afterAnswer, threshold);
    if (moves.length === 0) continue;
    const before = beforeCapacityChange(await loadEvidenceSnapshot(prisma, since), capacityFact);
    const [headline = { what: 'RECOMMENDATION', text: 'the answer changed' }] = moves;
    const causes = explain(
      decision.workload.input,
      options,
      before,
      after,
      beforeAnswer,
      afterAnswer,
      headline,
      threshold,
    );
    const verified = causes.filter((cause) => cause.verified);
    const summary = verified.length
      ? `${headline.text} because ${verified.map((cause) => cause.text).join(' and ')}`
      : `${headline.text}; no change of price, capacity, result, evaluation or access attempt reproduces it on the earlier evidence (the answer's date moved from ${before.now} to ${after.now})`;
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
  return { changeId: change.id, reevaluated, versions };
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

/** One replica at a time looks for price values that took effect after they were recorded. */
const DUE_PRICES_LOCK = 17_170_017;
/** How far back a round looks for them: a watcher down for longer misses older ones. */
const DUE_WINDOW_MS = 30 * 86_400_000;

/**
 * A price value recorded ahead of its effective date (an offer file published for next month, a
 * catalog edit dated later) changes the figure in effect only when that date arrives, with no write
 * at that moment. Each round records that change once (under an advisory lock, so replicas do not
 * both record it), dated `now`, when the value is then the one in effect and its amount differs
 * from the one before it.
 */
export async function recordDuePriceChanges(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${DUE_PRICES_LOCK}::bigint)::text AS "locked"`;
    const due = await tx.$queryRaw<{ id: string; componentId: string }[]>`
      SELECT v.id, v."componentId" FROM "PriceValue" v
      WHERE v."effectiveFrom"::timestamp <= ${now}
        AND v."effectiveFrom"::timestamp > ${new Date(now.getTime() - DUE_WINDOW_MS)}
        AND v."effectiveFrom"::timestamp > v."recordedAt"
        AND NOT EXISTS (SELECT 1 FROM "EvidenceChange" e WHERE e."subjectId" = v.id)
      ORDER BY v."effectiveFrom", v.id`;
    let recorded = 0;
    for (const row of due) {
      const component = await tx.priceComponent.findUniqueOrThrow({
        where: { id: row.componentId },
        include: { values: true },
      });
      const current = valueAt(component.values, now);
      if (current?.id !== row.id) continue; // superseded before it took effect
      const before = valueAt(component.values, new Date(current.effectiveFrom.getTime() - 1));
      if (before && new Decimal(before.amount.toString()).equals(current.amount.toString())) continue;
      const money = (amount: { toString(): string }) => `$${new Decimal(amount.toString()).toFixed()}`;
      await tx.evidenceChange.create({
        data: {
          kind: 'PRICE_VALUE',
          subjectId: current.id,
          summary: `${component.slug}: ${before ? money(before.amount) : '(none)'} → ${money(current.amount)} from ${current.effectiveFrom.toISOString().slice(0, 10)} (recorded ahead, now in effect)`,
          createdAt: now,
        },
      });
      recorded += 1;
    }
    return recorded;
  });
}

/** Drains every waiting change, then posts; what one poll of the watcher does. */
export async function runWatchRound(
  prisma: PrismaClient,
  replica: string,
  notifier: WatchNotifier | null,
  publicUrl: string,
): Promise<number> {
  let handled = 0;
  await recordDuePriceChanges(prisma);
  while (await reevaluateNextChange(prisma, replica)) handled += 1;
  if (notifier) await notifyVersions(prisma, notifier, publicUrl);
  return handled;
}

/**
 * New versions of decisions watched from a Slack channel that nobody has posted: on an API without
 * the bot's token they wait (and are posted once one runs with it). Newest 50, with their channels.
 */
export async function unpostedChannelVersions(
  prisma: PrismaClient,
): Promise<{ id: string; decisionId: string; channels: string[] }[]> {
  const pending = await prisma.decisionVersion.findMany({
    where: { notifiedAt: null, decision: { watches: { some: { channel: { not: null } } } } },
    select: { id: true, decisionId: true, decision: { select: { watches: { select: { channel: true } } } } },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  return pending.map((version) => ({
    id: version.id,
    decisionId: version.decisionId,
    channels: version.decision.watches.flatMap((watch) => (watch.channel ? [watch.channel] : [])),
  }));
}

/**
 * Polls for evidence changes on an interval (every replica may: the claim makes each change
 * handled once). Returns a stop function that waits for a round in progress. Without a notifier,
 * each version that a channel is waiting for is reported once through `warn`, so a missing Slack
 * token is not silent.
 */
export function startDecisionWatcher(
  prisma: PrismaClient,
  options: {
    replica: string;
    notifier: WatchNotifier | null;
    publicUrl: string;
    intervalMs: number;
    onError?: (error: unknown) => void;
    warn?: (line: string) => void;
  },
): () => Promise<void> {
  let stopped = false;
  let round: Promise<unknown> = Promise.resolve();
  const warned = new Set<string>();
  const warnUnposted = async () => {
    if (options.notifier || !options.warn) return;
    const fresh = (await unpostedChannelVersions(prisma)).filter((version) => !warned.has(version.id));
    if (fresh.length === 0) return;
    for (const version of fresh) warned.add(version.id);
    const channels = [...new Set(fresh.flatMap((version) => version.channels))].sort();
    const decisions = [...new Set(fresh.map((version) => version.decisionId))];
    options.warn(
      `watched decisions: ${fresh.length} new version(s) of ${decisions.join(', ')} are recorded but not posted to Slack channel(s) ${channels.join(', ')}: this API has no SLACK_BOT_TOKEN. Set SLACK_BOT_TOKEN (the bot's token) and restart the API; waiting versions are posted then. Meanwhile: npx floorplan decisions history ${decisions[0]}.`,
    );
  };
  const tick = () => {
    if (stopped) return;
    round = runWatchRound(prisma, options.replica, options.notifier, options.publicUrl)
      .then(warnUnposted)
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
