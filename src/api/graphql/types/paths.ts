import { z } from 'zod';
import { recordAudit } from '../../../app/audit/record';
import { actorOf } from '../../../app/auth/identity';
import { cachedEvidenceRead } from '../../../app/decisions/evidence-cache';
import { recordPriceValue } from '../../../app/prices/record-value';
import { NotFoundError } from '../../../domain/errors';
import { builder } from '../builder';
import { parseInput } from '../errors';
import { MoneyRef } from '../scalars';
import {
  AccessChannelEnum,
  CapacityKindEnum,
  ConfidenceEnum,
  DapmLayerEnum,
  PathKindEnum,
  PlacementEnum,
  PriceKindEnum,
} from './enums';

builder.prismaObject('ServingPath', {
  authScopes: { catalogReader: true },
  description: 'A way to serve a model: an owned box, a cloud floor, per-token prices, rented GPUs.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    kind: t.expose('kind', { type: PathKindEnum }),
    vendor: t.relation('vendor'),
    box: t.relation('box', { nullable: true }),
    acceleratorClass: t.exposeString('acceleratorClass', { nullable: true }),
    customWeightsSupported: t.exposeBoolean('customWeightsSupported'),
    weightsExportable: t.exposeBoolean('weightsExportable'),
    bringYourOwnWeights: t.exposeBoolean('bringYourOwnWeights'),
    scaleToZero: t.exposeBoolean('scaleToZero'),
    coldStartSeconds: t.exposeInt('coldStartSeconds', { nullable: true }),
    quotaRequired: t.exposeBoolean('quotaRequired'),
    quotaWall: t.exposeString('quotaWall', {
      nullable: true,
      description: 'An unresolved quota wall, in words.',
    }),
    procurementChannel: t.expose('procurementChannel', { type: AccessChannelEnum }),
    leadTimeDays: t.exposeInt('leadTimeDays', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    capacityFacts: t.relation('capacityFacts', {
      description:
        'Capacity per unit where no benchmark of ours says so: published figures or flagged assumptions.',
      query: { orderBy: { slug: 'asc' } },
    }),
    priceComponents: t.relation('priceComponents', { query: { orderBy: { slug: 'asc' } } }),
    placements: t.relation('placements', { query: { orderBy: { layer: 'asc' } } }),
  }),
});

builder.prismaObject('PriceComponent', {
  authScopes: { catalogReader: true },
  description: 'One priced line of a path, with its source, as-of date and confidence.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    path: t.relation('path'),
    kind: t.expose('kind', { type: PriceKindEnum }),
    price: t.field({
      type: MoneyRef,
      select: { amount: true, currency: true },
      resolve: (component) => ({ amount: component.amount, currency: component.currency }),
    }),
    unit: t.exposeString('unit'),
    billingWindowMinutes: t.exposeInt('billingWindowMinutes', { nullable: true }),
    commitmentMonths: t.exposeInt('commitmentMonths', { nullable: true }),
    minimumDurationHours: t.exposeInt('minimumDurationHours', { nullable: true }),
    model: t.relation('model', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    source: t.exposeString('source'),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true }),
    asOf: t.expose('asOf', { type: 'DateTime' }),
    confidence: t.expose('confidence', { type: ConfidenceEnum }),
    isAssumption: t.exposeBoolean('isAssumption'),
    note: t.exposeString('note', { nullable: true }),
    history: t.relation('values', {
      description:
        'Every value this price has had, newest effective date first (ties: latest recorded first). Edits and imports add values; none is ever overwritten.',
      query: { orderBy: [{ effectiveFrom: 'desc' }, { recordedAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

builder.prismaObject('PriceValue', {
  authScopes: { catalogReader: true },
  description:
    'One dated value of a price: what it was, from when, on whose word, recorded by whom and when.',
  fields: (t) => ({
    id: t.exposeID('id'),
    price: t.field({
      type: MoneyRef,
      select: { amount: true, currency: true },
      resolve: (value) => ({ amount: value.amount, currency: value.currency }),
    }),
    effectiveFrom: t.expose('effectiveFrom', {
      type: 'DateTime',
      description: "The day the price applies from (the source's as-of or publication date).",
    }),
    source: t.exposeString('source'),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true }),
    confidence: t.expose('confidence', { type: ConfidenceEnum }),
    note: t.exposeString('note', { nullable: true }),
    // Names a person or token: not part of the public catalog. Nullable, so that refusing it to a
    // public-catalog caller nulls only this field, not the list (and the whole answer) above it.
    recordedBy: t.exposeString('recordedBy', {
      authScopes: { viewer: true },
      nullable: true,
      description:
        'Who recorded it (a token or person); null, with a FORBIDDEN error, for callers without a viewer token.',
    }),
    recordedAt: t.expose('recordedAt', {
      type: 'DateTime',
      description: 'When floorplan learned it; decide(asOf) uses only values recorded by then.',
    }),
  }),
});

builder.prismaObject('CapacityFact', {
  authScopes: { catalogReader: true },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    kind: t.expose('kind', { type: CapacityKindEnum }),
    model: t.relation('model', { nullable: true }),
    value: t.expose('value', { type: 'Decimal' }),
    source: t.exposeString('source'),
    asOf: t.expose('asOf', { type: 'DateTime' }),
    confidence: t.expose('confidence', { type: ConfidenceEnum }),
    isAssumption: t.exposeBoolean('isAssumption'),
  }),
});

builder.prismaObject('LayerPlacement', {
  authScopes: { catalogReader: true },
  description: 'Where a DAPM layer sits on a path: layer0 compute, layer2b runtime, layer2c reasoning.',
  fields: (t) => ({
    layer: t.expose('layer', { type: DapmLayerEnum }),
    placement: t.expose('placement', { type: PlacementEnum }),
    rationale: t.exposeString('rationale'),
  }),
});

builder.queryFields((t) => ({
  servingPaths: t.prismaField({
    type: ['ServingPath'],
    authScopes: { catalogReader: true },
    args: { kind: t.arg({ type: PathKindEnum, required: false }) },
    // Only evidence writes change the catalog: it is kept with the evidence snapshot, per selection.
    resolve: (query, _root, { kind }, { prisma }) =>
      cachedEvidenceRead(prisma, `servingPaths:${kind ?? ''}:${JSON.stringify(query)}`, () =>
        prisma.servingPath.findMany({ ...query, where: kind ? { kind } : {}, orderBy: { slug: 'asc' } }),
      ),
  }),
  servingPath: t.prismaField({
    type: 'ServingPath',
    authScopes: { catalogReader: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (query, _root, { slug }, { prisma }) =>
      (await prisma.servingPath.findUnique({ ...query, where: { slug } })) ??
      Promise.reject(new NotFoundError('serving path', slug, 'List them with { servingPaths { slug } }.')),
  }),
}));

const UpdatePriceInput = builder.inputType('UpdatePriceComponentInput', {
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', required: false }),
    source: t.string({ required: false }),
    sourceUrl: t.string({ required: false }),
    asOf: t.field({ type: 'DateTime', required: false }),
    confidence: t.field({ type: ConfidenceEnum, required: false }),
    note: t.string({ required: false }),
  }),
});

const updatePriceSchema = z
  .object({
    amount: z
      .custom<import('decimal.js').default>()
      .refine((amount) => !amount.isNegative(), 'a price cannot be negative')
      // The column holds 8 decimal places; refusing more keeps storage exact instead of rounding quietly.
      .refine((amount) => amount.decimalPlaces() <= 8, 'at most 8 decimal places (e.g. "0.00000785")')
      .refine(
        (amount) => amount.abs().lt('1e12'),
        'at most 12 digits before the point (below 1,000,000,000,000)',
      )
      .optional()
      .nullable(),
    source: z.string().trim().min(3, 'give a source someone can check').optional().nullable(),
    sourceUrl: z.string().url('sourceUrl must be a URL').optional().nullable(),
    asOf: z
      .date()
      .refine((date) => date.getTime() <= Date.now() + 86_400_000, 'asOf cannot be in the future')
      .optional()
      .nullable(),
    confidence: z.enum(['C', 'S', 'U']).optional().nullable(),
    note: z.string().optional().nullable(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined && value !== null), {
    message: 'nothing to change: give at least one of amount, source, sourceUrl, asOf, confidence, note',
  })
  .refine((input) => !input.amount || (input.source && input.asOf), {
    message: 'a new amount needs its source and asOf, so every price stays traceable',
    path: ['amount'],
  });

builder.mutationFields((t) => ({
  updatePriceComponent: t.prismaField({
    type: 'PriceComponent',
    description:
      'Edit a price (admin): a new amount, source, asOf or confidence is recorded as a new dated value (the old ones stay in `history`); note edits the component. Writes an audit event with the values before and after.',
    authScopes: { admin: true },
    args: {
      slug: t.arg.string({ required: true }),
      input: t.arg({ type: UpdatePriceInput, required: true }),
    },
    resolve: async (query, _root, { slug, input }, { prisma, identity }) => {
      const changes = parseInput(updatePriceSchema, input);
      const actor = actorOf(identity);
      return prisma.$transaction(async (tx) => {
        const before = await tx.priceComponent.findUnique({ where: { slug } });
        if (!before)
          throw new NotFoundError('price component', slug, 'See servingPaths { priceComponents { slug } }.');
        // Any change to the figure or its provenance is a new dated value; the old one stays in
        // the history. Only the component's own note is edited in place.
        const valueChanged = [
          changes.amount,
          changes.source,
          changes.sourceUrl,
          changes.asOf,
          changes.confidence,
        ].some((value) => value != null);
        const value = valueChanged
          ? await recordPriceValue(tx, {
              componentId: before.id,
              amount: changes.amount ?? before.amount.toString(),
              effectiveFrom: changes.asOf ?? before.asOf,
              source: changes.source ?? before.source,
              sourceUrl: changes.sourceUrl ?? before.sourceUrl,
              confidence: changes.confidence ?? before.confidence,
              note: changes.note ?? null,
              recordedBy: actor,
            })
          : null;
        if (changes.note != null)
          await tx.priceComponent.update({ where: { slug }, data: { note: changes.note } });
        const after = await tx.priceComponent.findUniqueOrThrow({ ...query, where: { slug } });
        await recordAudit(tx, {
          actor,
          action: 'price.update',
          entityType: 'PriceComponent',
          entityId: before.id,
          before,
          after: { ...after, addedValueId: value?.id ?? null },
        });
        return after;
      });
    },
  }),
}));
