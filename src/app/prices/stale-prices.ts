import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Decimal from 'decimal.js';
import type { Confidence } from '../../domain/engine/evidence';
import type { PriceFileFormat } from '../../domain/imports/price-files';
import { valueAt } from '../../domain/price-history';
import type { PrismaClient } from '../../generated/prisma/client';
import type { DecisionAnswer } from '../decisions/answer';
import { parsePriceMapping } from './import-prices';

/**
 * Staleness that leads somewhere: the prices whose value in effect is older than a threshold,
 * grouped by the saved decisions that rest on them (watched ones first), each with the import or
 * the catalog edit that would refresh it.
 */

/** Where the price-file mappings floorplan ships live (one YAML per downloadable file). */
export const PRICE_MAPPINGS_DIR = 'seeds/price-mappings';

/** The name the downloaded file usually has, per format, for the command line shown. */
const FILE_NAMES: Record<PriceFileFormat, string> = {
  'aws-offer': 'index.json',
  litellm: 'model_prices_and_context_window.json',
  skypilot: 'vms.csv',
};

export interface PriceRefresh {
  kind: 'IMPORT' | 'EDIT';
  /** The mapping file that names this component (imports only). */
  mapping: string | null;
  format: PriceFileFormat | null;
  /** Where to download the file (imports), from the mapping's sourceUrl. */
  fetchFrom: string | null;
  command: string;
  /** For an edit: the YAML to give `npx floorplan catalog edit`. */
  catalogEdit: string | null;
}

export interface StalePrice {
  slug: string;
  pathSlug: string;
  amount: Decimal | { toString(): string };
  currency: string;
  unit: string;
  effectiveFrom: Date;
  ageDays: number;
  source: string;
  confidence: Confidence;
  refresh: PriceRefresh[];
}

export interface StaleDecision {
  decisionId: string;
  createdAt: Date;
  watched: boolean;
  channels: string[];
  recommendation: string | null;
  /** Slugs of the stale prices its latest answer costs with. */
  priceSlugs: string[];
}

export interface StalePricesReport {
  olderThanDays: number;
  asOf: Date;
  prices: StalePrice[];
  decisions: StaleDecision[];
  /** Stale prices no listed decision rests on. */
  notCitedSlugs: string[];
}

const DAY_MS = 86_400_000;
/** Saved decisions looked at besides the watched ones: the newest this many. */
const RECENT_DECISIONS = 50;

async function mappingsByComponent(
  directory: string,
): Promise<Map<string, { file: string; format: PriceFileFormat; sourceUrl: string | null }[]>> {
  const byComponent = new Map<
    string,
    { file: string; format: PriceFileFormat; sourceUrl: string | null }[]
  >();
  let files: string[];
  try {
    files = (await readdir(directory)).filter((file) => file.endsWith('.yaml')).sort();
  } catch {
    return byComponent; // No mappings shipped here: every price is refreshed by an edit.
  }
  for (const file of files) {
    const where = path.join(directory, file);
    const mapping = parsePriceMapping(await readFile(where, 'utf8'), where);
    for (const line of mapping.prices) {
      const list = byComponent.get(line.component) ?? [];
      if (!list.some((item) => item.file === where))
        list.push({ file: where, format: mapping.format, sourceUrl: mapping.sourceUrl ?? null });
      byComponent.set(line.component, list);
    }
  }
  return byComponent;
}

function refreshesOf(
  slug: string,
  mappings: { file: string; format: PriceFileFormat; sourceUrl: string | null }[],
  today: string,
): PriceRefresh[] {
  return [
    ...mappings.map((mapping) => ({
      kind: 'IMPORT' as const,
      mapping: mapping.file,
      format: mapping.format,
      fetchFrom: mapping.sourceUrl,
      command: `npx floorplan prices import ${FILE_NAMES[mapping.format]} --mapping ${mapping.file} --dry-run`,
      catalogEdit: null,
    })),
    {
      kind: 'EDIT' as const,
      mapping: null,
      format: null,
      fetchFrom: null,
      command: `npx floorplan catalog edit ${slug}.yaml`,
      catalogEdit: [
        'priceComponents:',
        `  - slug: ${slug}`,
        '    amount: "<the price today>"',
        '    source: "<where you read it>"',
        `    asOf: ${today}`,
      ].join('\n'),
    },
  ];
}

/** The price component slugs an answer costs with, over every option it weighed. */
function pricesCitedBy(answer: DecisionAnswer): Set<string> {
  return new Set(
    answer.options.flatMap((option) => option.cost.lines.flatMap((line) => line.priceComponentIds)),
  );
}

export async function findStalePrices(
  prisma: PrismaClient,
  options: { olderThanDays: number; now?: Date; mappingsDir?: string },
): Promise<StalePricesReport> {
  const now = options.now ?? new Date();
  const cutoff = now.getTime() - options.olderThanDays * DAY_MS;
  const today = now.toISOString().slice(0, 10);
  const [components, mappings, watched, recent] = await Promise.all([
    prisma.priceComponent.findMany({
      include: { values: true, path: { select: { slug: true } } },
      orderBy: { slug: 'asc' },
    }),
    mappingsByComponent(options.mappingsDir ?? PRICE_MAPPINGS_DIR),
    prisma.decision.findMany({
      where: { watches: { some: {} } },
      include: { watches: true, versions: { orderBy: { createdAt: 'desc' }, take: 1 } },
      orderBy: { createdAt: 'desc' },
    }),
    prisma.decision.findMany({
      where: { watches: { none: {} } },
      include: { watches: true, versions: { orderBy: { createdAt: 'desc' }, take: 1 } },
      orderBy: { createdAt: 'desc' },
      take: RECENT_DECISIONS,
    }),
  ]);
  const prices: StalePrice[] = components.flatMap((component) => {
    const value = valueAt(component.values, now);
    if (!value || value.effectiveFrom.getTime() >= cutoff) return [];
    return [
      {
        slug: component.slug,
        pathSlug: component.path.slug,
        amount: value.amount,
        currency: value.currency,
        unit: component.unit,
        effectiveFrom: value.effectiveFrom,
        ageDays: Math.floor((now.getTime() - value.effectiveFrom.getTime()) / DAY_MS),
        source: value.source,
        confidence: value.confidence as Confidence,
        refresh: refreshesOf(component.slug, mappings.get(component.slug) ?? [], today),
      },
    ];
  });
  const stale = new Set(prices.map((price) => price.slug));
  const cited = new Set<string>();
  const decisions: StaleDecision[] = [...watched, ...recent].flatMap((decision) => {
    const answer = (decision.versions[0]?.answer ?? decision.answer) as unknown as DecisionAnswer;
    const priceSlugs = [...pricesCitedBy(answer)].filter((slug) => stale.has(slug)).sort();
    if (priceSlugs.length === 0) return [];
    for (const slug of priceSlugs) cited.add(slug);
    return [
      {
        decisionId: decision.id,
        createdAt: decision.createdAt,
        watched: decision.watches.length > 0,
        channels: decision.watches.flatMap((watch) => (watch.channel ? [watch.channel] : [])),
        recommendation: answer.recommendation?.optionId ?? null,
        priceSlugs,
      },
    ];
  });
  return {
    olderThanDays: options.olderThanDays,
    asOf: now,
    prices,
    decisions,
    notCitedSlugs: prices.map((price) => price.slug).filter((slug) => !cited.has(slug)),
  };
}
