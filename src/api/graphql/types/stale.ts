import {
  findStalePrices,
  type PriceRefresh,
  type StaleDecision,
  type StalePrice,
  type StalePricesReport,
} from '../../../app/prices/stale-prices';
import { ValidationError } from '../../../domain/errors';
import { builder } from '../builder';
import { MoneyRef } from '../scalars';
import { ConfidenceEnum } from './enums';

const PriceRefreshKindEnum = builder.enumType('PriceRefreshKind', {
  description: 'IMPORT: a price file and the mapping that names this component; EDIT: a catalog edit.',
  values: ['IMPORT', 'EDIT'] as const,
});

const PriceRefreshRef = builder.objectRef<PriceRefresh>('PriceRefresh').implement({
  authScopes: { viewer: true },
  description: 'A way to refresh a stale price: an import (dry run first) or a catalog edit.',
  fields: (t) => ({
    kind: t.field({ type: PriceRefreshKindEnum, resolve: (refresh) => refresh.kind }),
    command: t.exposeString('command', {
      description:
        'e.g. "npx floorplan prices import vms.csv --mapping seeds/price-mappings/skypilot.mapping.yaml --dry-run".',
    }),
    mapping: t.exposeString('mapping', { nullable: true, description: 'The mapping file (imports).' }),
    format: t.exposeString('format', {
      nullable: true,
      description: 'aws-offer, litellm or skypilot (imports).',
    }),
    fetchFrom: t.exposeString('fetchFrom', {
      nullable: true,
      description: 'Where to download the file (imports).',
    }),
    catalogEdit: t.exposeString('catalogEdit', {
      nullable: true,
      description: 'The YAML to fill in and give `npx floorplan catalog edit` (edits).',
    }),
  }),
});

const StalePriceRef = builder.objectRef<StalePrice>('StalePrice').implement({
  authScopes: { viewer: true },
  description: 'A price whose value in effect is older than the threshold.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    pathSlug: t.exposeString('pathSlug'),
    price: t.field({
      type: MoneyRef,
      resolve: (price) => ({ amount: price.amount, currency: price.currency }),
    }),
    unit: t.exposeString('unit'),
    effectiveFrom: t.expose('effectiveFrom', { type: 'DateTime' }),
    ageDays: t.exposeInt('ageDays'),
    source: t.exposeString('source'),
    confidence: t.field({ type: ConfidenceEnum, resolve: (price) => price.confidence }),
    refresh: t.field({
      type: [PriceRefreshRef],
      description: 'Imports whose mapping names this price first, then the catalog edit.',
      resolve: (price) => price.refresh,
    }),
  }),
});

interface StaleDecisionShape extends StaleDecision {
  prices: StalePrice[];
}

const StaleDecisionRef = builder.objectRef<StaleDecisionShape>('StaleDecision').implement({
  authScopes: { viewer: true },
  description: 'A saved decision whose latest answer costs with stale prices.',
  fields: (t) => ({
    decisionId: t.exposeID('decisionId'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    watched: t.exposeBoolean('watched'),
    channels: t.exposeStringList('channels', { description: 'Slack channels watching it.' }),
    recommendation: t.exposeString('recommendation', {
      nullable: true,
      description: 'The option its latest answer recommends.',
    }),
    prices: t.field({ type: [StalePriceRef], resolve: (decision) => decision.prices }),
  }),
});

const StalePricesRef = builder.objectRef<StalePricesReport>('StalePrices').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    olderThanDays: t.exposeInt('olderThanDays'),
    asOf: t.expose('asOf', { type: 'DateTime' }),
    decisions: t.field({
      type: [StaleDecisionRef],
      description:
        'Watched decisions first (newest first), then the newest 50 saved ones, each with its stale prices.',
      resolve: (report) => {
        const bySlug = new Map(report.prices.map((price) => [price.slug, price]));
        return report.decisions.map((decision) => ({
          ...decision,
          prices: decision.priceSlugs.flatMap((slug) => bySlug.get(slug) ?? []),
        }));
      },
    }),
    notCited: t.field({
      type: [StalePriceRef],
      description: 'Stale prices none of those decisions costs with.',
      resolve: (report) => report.prices.filter((price) => report.notCitedSlugs.includes(price.slug)),
    }),
    prices: t.field({
      type: [StalePriceRef],
      description: 'Every stale price.',
      resolve: (report) => report.prices,
    }),
  }),
});

builder.queryFields((t) => ({
  stalePrices: t.field({
    type: StalePricesRef,
    authScopes: { viewer: true },
    description:
      'Prices whose value in effect is older than olderThanDays, grouped by the saved decisions that cost with them, each with the import or catalog edit that would refresh it.',
    args: { olderThanDays: t.arg.int({ required: false, defaultValue: 180 }) },
    resolve: (_root, { olderThanDays }, { prisma }) => {
      const days = olderThanDays ?? 180;
      if (days < 0 || days > 3650)
        throw new ValidationError(
          [{ path: 'olderThanDays', message: `must be between 0 and 3650 days, got ${days}` }],
          'Invalid stalePrices',
        );
      return findStalePrices(prisma, { olderThanDays: days });
    },
  }),
}));
