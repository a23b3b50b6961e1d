import { z } from 'zod';
import { recordAudit } from '../../../app/audit/record';
import { actorOf } from '../../../app/auth/identity';
import { recordEvidenceChange } from '../../../app/decisions/watch';
import { accessPathFigures } from '../../../domain/access';
import { NotFoundError } from '../../../domain/errors';
import { builder } from '../builder';
import { parseInput } from '../errors';
import { MoneyRef } from '../scalars';
import { AccessChannelEnum, AccessOutcomeEnum } from './enums';

const AccessFiguresRef = builder
  .objectRef<ReturnType<typeof accessPathFigures>>('AccessPathFigures')
  .implement({
    authScopes: { catalogReader: true },
    description: 'Derived from the attempt log: how long answers took and how often they gave capacity.',
    fields: (t) => ({
      attempts: t.exposeInt('attempts'),
      answered: t.exposeInt('answered'),
      medianHoursToAnswer: t.exposeFloat('medianHoursToAnswer', { nullable: true }),
      worstHoursToAnswer: t.exposeFloat('worstHoursToAnswer', {
        nullable: true,
        description:
          'Longest wait; when worstIsStillOpen, an unanswered request has waited this long so far.',
      }),
      worstIsStillOpen: t.exposeBoolean('worstIsStillOpen'),
      successRate: t.exposeFloat('successRate', { nullable: true }),
      hoursToFirstUsableCapacity: t.exposeFloat('hoursToFirstUsableCapacity', { nullable: true }),
    }),
  });

builder.prismaObject('AccessPath', {
  authScopes: { catalogReader: true },
  description: 'A way to get accelerator capacity: its channel, commitment, lead time and quota needs.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    acceleratorClass: t.exposeString('acceleratorClass'),
    vendor: t.relation('vendor'),
    servingPath: t.relation('servingPath', { nullable: true }),
    channel: t.expose('channel', { type: AccessChannelEnum }),
    minimumCommitment: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'The least you must spend to get any capacity at all through this path.',
      select: { minimumCommitmentAmount: true, currency: true },
      resolve: (path) =>
        path.minimumCommitmentAmount
          ? { amount: path.minimumCommitmentAmount, currency: path.currency }
          : null,
    }),
    minimumCommitmentHours: t.exposeInt('minimumCommitmentHours', { nullable: true }),
    paidUpFront: t.exposeBoolean('paidUpFront'),
    cancellable: t.exposeBoolean('cancellable'),
    typicalLeadTimeDays: t.exposeInt('typicalLeadTimeDays', { nullable: true }),
    quotaNeeded: t.exposeString('quotaNeeded', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    source: t.exposeString('source'),
    attempts: t.relation('attempts', { query: { orderBy: { requestedAt: 'asc' } } }),
    figures: t.field({
      type: AccessFiguresRef,
      select: { attempts: { select: { requestedAt: true, answeredAt: true, outcome: true } } },
      resolve: (path) => accessPathFigures(path.attempts, new Date()),
    }),
  }),
});

builder.prismaObject('AccessAttempt', {
  authScopes: { catalogReader: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    accessPath: t.relation('accessPath'),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    outcome: t.expose('outcome', { type: AccessOutcomeEnum }),
    notes: t.exposeString('notes', { nullable: true }),
    // Names a person or token: not part of the public catalog. Nullable, so that refusing it to a
    // public-catalog caller nulls only this field, not the list (and the whole answer) above it.
    recordedBy: t.exposeString('recordedBy', {
      authScopes: { viewer: true },
      nullable: true,
      description:
        'Who recorded it (a token or person); null, with a FORBIDDEN error, for callers without a viewer token.',
    }),
  }),
});

builder.queryFields((t) => ({
  accessPaths: t.prismaField({
    type: ['AccessPath'],
    authScopes: { catalogReader: true },
    args: {
      accelerator: t.arg.string({
        required: false,
        description: 'Accelerator class, matched loosely: "gb300", "H100"',
      }),
      region: t.arg.string({ required: false }),
    },
    resolve: (query, _root, { accelerator, region }, { prisma }) =>
      prisma.accessPath.findMany({
        ...query,
        where: {
          ...(accelerator ? { acceleratorClass: { contains: accelerator, mode: 'insensitive' } } : {}),
          ...(region ? { region } : {}),
        },
        orderBy: [{ acceleratorClass: 'asc' }, { slug: 'asc' }],
      }),
  }),
}));

const RecordAttemptInput = builder.inputType('RecordAccessAttemptInput', {
  fields: (t) => ({
    accessPath: t.string({ required: true, description: 'Access path slug' }),
    requestedAt: t.field({ type: 'DateTime', required: true }),
    answeredAt: t.field({ type: 'DateTime', required: false }),
    outcome: t.field({ type: AccessOutcomeEnum, required: true }),
    notes: t.string({ required: false }),
  }),
});

const recordAttemptSchema = z
  .object({
    accessPath: z.string().min(1),
    requestedAt: z.date(),
    answeredAt: z.date().nullish(),
    outcome: z.enum(['PENDING', 'APPROVED', 'SOFT_DENY_WRONG_LANE', 'DENIED', 'NO_ANSWER', 'ESCALATED']),
    notes: z.string().max(2000).nullish(),
  })
  .refine((input) => !input.answeredAt || input.answeredAt >= input.requestedAt, {
    message: 'answeredAt cannot be before requestedAt',
    path: ['answeredAt'],
  })
  .refine((input) => !(input.outcome === 'APPROVED' && !input.answeredAt), {
    message: 'an APPROVED attempt needs answeredAt, so time to capacity can be measured',
    path: ['answeredAt'],
  });

builder.mutationFields((t) => ({
  recordAccessAttempt: t.prismaField({
    type: 'AccessAttempt',
    description: 'Log a capacity request and its outcome (operator). Audited.',
    authScopes: { operator: true },
    args: { input: t.arg({ type: RecordAttemptInput, required: true }) },
    resolve: async (query, _root, { input }, { prisma, identity }) => {
      const attempt = parseInput(recordAttemptSchema, input);
      return prisma.$transaction(async (tx) => {
        const path = await tx.accessPath.findUnique({ where: { slug: attempt.accessPath } });
        if (!path)
          throw new NotFoundError(
            'access path',
            attempt.accessPath,
            'List them with { accessPaths { slug } }.',
          );
        const created = await tx.accessAttempt.create({
          ...query,
          data: {
            accessPathId: path.id,
            requestedAt: attempt.requestedAt,
            answeredAt: attempt.answeredAt ?? null,
            outcome: attempt.outcome,
            notes: attempt.notes ?? null,
            recordedBy: actorOf(identity),
          },
        });
        await recordAudit(tx, {
          actor: actorOf(identity),
          action: 'access-attempt.record',
          entityType: 'AccessAttempt',
          entityId: created.id,
          after: attempt,
        });
        await recordEvidenceChange(tx, {
          kind: 'ACCESS_ATTEMPT',
          subjectId: created.id,
          summary: `access attempt on ${path.slug}: ${attempt.outcome}`,
        });
        return created;
      });
    },
  }),
}));
