import { recordAudit } from '../../../app/audit/record';
import { actorOf } from '../../../app/auth/identity';
import type { DecisionAnswer } from '../../../app/decisions/answer';
import type { EvidenceKind } from '../../../app/decisions/evidence-diff';
import type { Cause, Explanation, Move } from '../../../app/decisions/watch';
import { NotFoundError } from '../../../domain/errors';
import type { PrismaClient } from '../../../generated/prisma/client';
import { builder, refusalFor } from '../builder';
import { DecisionRef } from './decision';

builder.prismaObject('DecisionWatch', {
  authScopes: { viewer: true },
  description: 'Someone watching a saved decision; with a channel, changes are posted to Slack there.',
  fields: (t) => ({
    id: t.exposeID('id'),
    channel: t.exposeString('channel', { nullable: true }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const EvidenceKindEnum = builder.enumType('EvidenceKind', {
  description: 'A kind of evidence whose change re-checks watched decisions.',
  values: [
    'PRICE_VALUE',
    'BENCHMARK_RESULT',
    'SLO_SWEEP',
    'QUALITY_EVALUATION',
    'ACCESS_ATTEMPT',
    'CAPACITY_FACT',
  ] as const satisfies readonly EvidenceKind[],
});

const DecisionMoveKindEnum = builder.enumType('DecisionMoveKind', {
  values: ['RECOMMENDATION', 'VERDICT', 'KEPT_SETS', 'COST'] as const satisfies readonly Move['what'][],
});

const DecisionMoveRef = builder.objectRef<Move>('DecisionMove').implement({
  authScopes: { viewer: true },
  description: 'What moved between two answers of a watched decision.',
  fields: (t) => ({
    what: t.field({ type: DecisionMoveKindEnum, resolve: (move) => move.what }),
    text: t.exposeString('text'),
    optionId: t.string({ nullable: true, resolve: (move) => move.optionId ?? null }),
  }),
});

const DecisionChangeCauseRef = builder.objectRef<Cause>('DecisionChangeCause').implement({
  authScopes: { viewer: true },
  description:
    'An input that changed between two answers, and whether answering from the earlier evidence with only it changed (or, when `together`, with only the inputs so marked) reproduces the move.',
  fields: (t) => ({
    kind: t.field({ type: EvidenceKindEnum, resolve: (cause) => cause.kind ?? 'PRICE_VALUE' }),
    input: t.exposeString('input', {
      description: 'The evidence id: a price component slug, a benchmark result id, an evaluation slug, …',
    }),
    text: t.exposeString('text'),
    verified: t.exposeBoolean('verified'),
    together: t.boolean({ resolve: (cause) => cause.together ?? false }),
  }),
});

const EvidenceChangeRef = builder.prismaObject('EvidenceChange', {
  authScopes: { viewer: true },
  description:
    'A change of evidence a watched decision may rest on; every API replica polls for them and exactly one re-evaluates each.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: EvidenceKindEnum, resolve: (change) => change.kind as EvidenceKind }),
    summary: t.exposeString('summary', {
      description: 'e.g. "dgx-spark-purchase: $3999 → $4699 from 2026-04-02".',
    }),
    subjectId: t.exposeString('subjectId', {
      description:
        'The row that changed: a price value, benchmark result, SLO sweep, evaluation or attempt id; for a capacity fact, the audit event of its edit (which keeps the value before).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    processedAt: t.expose('processedAt', { type: 'DateTime', nullable: true }),
    processedBy: t.exposeString('processedBy', {
      nullable: true,
      description: 'The API replica that re-evaluated the watched decisions after it.',
    }),
  }),
});

const explanationOf = (version: { explanation: unknown }) =>
  (version.explanation ?? { moves: [], causes: [] }) as Explanation;

builder.prismaObject('DecisionVersion', {
  authScopes: { viewer: true },
  description:
    'A watched decision answered again after an evidence change moved it: what moved, and the inputs that explain it, each checked by answering again with only that input changed.',
  fields: (t) => ({
    id: t.exposeID('id'),
    changeId: t.exposeString('changeId'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'The moment of the evidence change.' }),
    summary: t.exposeString('summary', {
      description:
        'e.g. "recommendation flipped from dgx-spark to bedrock-cmi because dgx-spark-purchase rose from $3,999 to $4,699 on 2026-04-02".',
    }),
    explanation: t.field({
      type: 'JSON',
      deprecationReason: 'Use moves and causes.',
      resolve: (version) => version.explanation,
    }),
    change: t.field({
      type: EvidenceChangeRef,
      nullable: true,
      description: 'The evidence change after which it was recorded.',
      resolve: (version, _args, { prisma }) =>
        prisma.evidenceChange.findUnique({ where: { id: version.changeId } }),
    }),
    moves: t.field({ type: [DecisionMoveRef], resolve: (version) => explanationOf(version).moves }),
    causes: t.field({
      type: [DecisionChangeCauseRef],
      description: 'Verified causes first.',
      resolve: (version) => explanationOf(version).causes,
    }),
    decision: t.field({
      type: DecisionRef,
      resolve: (version) => ({ id: version.decisionId, answer: version.answer as unknown as DecisionAnswer }),
    }),
  }),
});

builder.prismaObjectFields('Decision', (t) => ({
  watches: t.relation('watches'),
  versions: t.relation('versions', {
    description:
      'Newer answers recorded while watched, oldest first; the saved answer is the first "before".',
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
}));

builder.mutationFields((t) => ({
  watchDecision: t.prismaField({
    type: 'DecisionWatch',
    authScopes: { viewer: true },
    description:
      'Watch a saved decision: when a price, capacity fact, result, evaluation or access attempt it could rest on changes, it is answered again and a new version recorded when it moved. With a Slack channel id, each new version is posted there.',
    args: { id: t.arg.id({ required: true }), channel: t.arg.string({ required: false }) },
    resolve: async (query, _root, { id, channel }, { prisma, identity }) => {
      const decision = await prisma.decision.findUnique({ where: { id: String(id) } });
      if (!decision)
        throw new NotFoundError('saved decision', String(id), 'Save one with saveDecision first.');
      const actor = actorOf(identity);
      const existing = await prisma.decisionWatch.findFirst({
        where: { decisionId: decision.id, channel: channel ?? null },
      });
      if (existing) return prisma.decisionWatch.findUniqueOrThrow({ ...query, where: { id: existing.id } });
      return prisma.$transaction(async (tx) => {
        const watch = await tx.decisionWatch.create({
          ...query,
          data: { decisionId: decision.id, channel: channel ?? null, createdBy: actor },
        });
        await recordAudit(tx, {
          actor,
          action: 'decision.watch',
          entityType: 'Decision',
          entityId: decision.id,
          after: { channel },
        });
        return watch;
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  unwatchDecision: t.prismaField({
    type: 'Decision',
    authScopes: { viewer: true },
    description:
      "Stop watching a saved decision: with a channel, only that channel's watch ends; without, every watch of it. Versions already recorded stay. Audited.",
    args: { id: t.arg.id({ required: true }), channel: t.arg.string({ required: false }) },
    resolve: async (query, _root, { id, channel }, { prisma, identity }) => {
      const decision = await prisma.decision.findUnique({ where: { id: String(id) } });
      if (!decision)
        throw new NotFoundError('saved decision', String(id), 'List them with { savedDecisions { id } }.');
      const where = { decisionId: decision.id, ...(channel ? { channel } : {}) };
      if (channel && !(await prisma.decisionWatch.findFirst({ where })))
        throw new NotFoundError(
          'watch of this decision in channel',
          channel,
          'See { savedDecision(id) { watches { channel } } }.',
        );
      await prisma.$transaction(async (tx) => {
        const removed = await tx.decisionWatch.deleteMany({ where });
        if (removed.count > 0)
          await recordAudit(tx, {
            actor: actorOf(identity),
            action: 'decision.unwatch',
            entityType: 'Decision',
            entityId: decision.id,
            after: { channel: channel ?? null, removed: removed.count },
          });
      });
      return prisma.decision.findUniqueOrThrow({ ...query, where: { id: decision.id } });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  decisionChanged: t.prismaField({
    type: 'DecisionVersion',
    authScopes: { viewer: true },
    description: 'Each new version of a watched decision as it is recorded (by any API replica).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, { prisma, identity }) => {
      // scope-auth checks `resolve`, not `subscribe`: refuse here, before any event, as
      // benchmarkRunProgress does.
      if (!identity || identity.role === 'RUNNER') throw refusalFor({ identity });
      return decisionVersions(prisma, String(id));
    },
    resolve: (query, versionId: string, _args, { prisma }) =>
      prisma.decisionVersion.findUniqueOrThrow({ ...query, where: { id: versionId } }),
  }),
}));

/**
 * The ids of new versions of one decision, polled once a second (versions are written by whichever
 * replica claimed the change; reading the table finds them all). Not a generator: a generator
 * suspended between polls only sees `return()` at its next yield, so a subscriber who left while
 * nothing changed would keep it polling for good. Here `return()` stops the poll at once.
 */
function decisionVersions(prisma: PrismaClient, decisionId: string): AsyncIterableIterator<string> {
  let stopped = false;
  let seen: Set<string> | null = null;
  const queue: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, 1000);
    });
  const finished = { value: undefined, done: true } as const;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (seen === null) {
        if (!(await prisma.decision.findUnique({ where: { id: decisionId }, select: { id: true } })))
          throw new NotFoundError('saved decision', decisionId);
        const existing = await prisma.decisionVersion.findMany({
          where: { decisionId },
          select: { id: true },
        });
        seen = new Set(existing.map((row) => row.id));
      }
      while (!stopped) {
        const next = queue.shift();
        if (next !== undefined) return { value: next, done: false };
        const fresh = await prisma.decisionVersion.findMany({
          where: { decisionId, id: { notIn: [...seen] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          select: { id: true },
        });
        for (const version of fresh) {
          seen.add(version.id);
          queue.push(version.id);
        }
        if (queue.length === 0 && !stopped) await pause();
      }
      return finished;
    },
    async return() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      return finished;
    },
  };
}
