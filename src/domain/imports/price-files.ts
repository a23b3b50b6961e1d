import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * The price files users already download, read into one shape: a figure per key, exact.
 *
 * - `aws-offer`: an AWS Price List bulk offer file (JSON) — `products` by SKU with attributes, and
 *   `terms.OnDemand` / `terms.Reserved` → SKU → offer term → `priceDimensions` → rate code →
 *   `pricePerUnit.USD` (a decimal string), dated by the term's `effectiveDate` or the file's
 *   `publicationDate`. Keys: the rate code ("SKU.TERM.RATE"), and the SKU itself when it has exactly
 *   one on-demand price.
 * - `litellm`: LiteLLM's `model_prices_and_context_window.json` — model key → `input_cost_per_token`,
 *   `output_cost_per_token` (and the other `*_cost_per_*` fields). Keys: "model.field". The file
 *   writes costs as JSON numbers; each is read through its shortest round-trip decimal form, which
 *   is the literal as written for any literal of up to 15 significant digits. Undated.
 * - `skypilot`: a SkyPilot catalog CSV (`InstanceType, AcceleratorName, AcceleratorCount, …, Price,
 *   Region, …, SpotPrice`). Keys: "instanceType@region" (Price) and "instanceType@region:spot"
 *   (SpotPrice). Undated.
 */
export const PRICE_FILE_FORMATS = ['aws-offer', 'litellm', 'skypilot'] as const;
export type PriceFileFormat = (typeof PRICE_FILE_FORMATS)[number];

export interface PriceFigure {
  key: string;
  amount: Decimal;
  /** The unit as the file states it ("Hrs", "1K tokens", "per token", "per hour"). */
  unit: string;
  description: string;
  effectiveFrom: Date | null;
  /** Another key of the file for this very figure (an AWS on-demand SKU and its rate code). */
  sameAs?: string;
}

export interface ParsedPriceFile {
  format: PriceFileFormat;
  figures: Map<string, PriceFigure>;
  /** The file's own date, when it has one (AWS `publicationDate`). */
  publishedAt: Date | null;
  /** What the file calls itself ("AmazonBedrock 20261120000000"). */
  label: string;
}

/** The file is not what its format says: the path inside it and what was wrong. Nothing is stored. */
export class PriceFileError extends Error {
  constructor(
    readonly problems: { path: string; message: string }[],
    what: string,
  ) {
    super(
      `${what} is malformed; nothing was stored:\n${problems.map((p) => `  at ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
}

const formatPath = (segments: readonly PropertyKey[]) =>
  segments
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '') || '(root)';

function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PriceFileError(
    parsed.error.issues
      .slice(0, 20)
      .map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    what,
  );
}

/** `format` names what the mapping expects, so a file given with the wrong mapping says so. */
function parseJson(text: string, what: string, format: PriceFileFormat): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PriceFileError(
      [
        {
          path: '(file)',
          message: `not valid JSON (${(error as Error).message}); the mapping says format ${format}, a JSON file: is this the file that mapping is for?`,
        },
      ],
      what,
    );
  }
}

const decimalText = z
  .string({ error: 'expected a decimal written as a string, e.g. "55.0400000000"' })
  .regex(/^\d+(\.\d+)?$/, { error: 'expected a non-negative decimal such as "0.00022"' });
const isoTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time, e.g. "2026-11-20T00:00:00Z"',
});

const offerTermSchema = z.object({
  offerTermCode: z.string(),
  sku: z.string(),
  effectiveDate: isoTime,
  priceDimensions: z.record(
    z.string(),
    z.object({
      rateCode: z.string(),
      description: z.string(),
      unit: z.string(),
      pricePerUnit: z.object({ USD: decimalText }),
    }),
  ),
  termAttributes: z.record(z.string(), z.string()).optional(),
});

const awsOfferSchema = z.object({
  formatVersion: z.string(),
  offerCode: z.string({ error: 'expected the offer code, e.g. "AmazonBedrock"' }),
  version: z.string(),
  publicationDate: isoTime,
  products: z.record(
    z.string(),
    z.object({
      sku: z.string(),
      productFamily: z.string().optional(),
      attributes: z.record(z.string(), z.string()),
    }),
  ),
  terms: z
    .object({
      OnDemand: z.record(z.string(), z.record(z.string(), offerTermSchema)),
      Reserved: z.record(z.string(), z.record(z.string(), offerTermSchema)).optional(),
    })
    .refine((terms) => terms.OnDemand !== undefined, { error: 'expected terms.OnDemand' }),
});

function parseAwsOffer(text: string, what: string): ParsedPriceFile {
  const file = parseWith(awsOfferSchema, parseJson(text, what, 'aws-offer'), what);
  const figures = new Map<string, PriceFigure>();
  const onDemandCount = new Map<string, PriceFigure[]>();
  for (const [sku, terms] of Object.entries(file.terms.OnDemand)) {
    if (!file.products[sku])
      throw new PriceFileError(
        [{ path: `terms.OnDemand.${sku}`, message: `SKU "${sku}" is not among the products` }],
        what,
      );
    for (const term of Object.values(terms)) {
      for (const dimension of Object.values(term.priceDimensions)) {
        const figure: PriceFigure = {
          key: dimension.rateCode,
          amount: new Decimal(dimension.pricePerUnit.USD),
          unit: dimension.unit,
          description: dimension.description,
          effectiveFrom: new Date(term.effectiveDate),
        };
        figures.set(dimension.rateCode, figure);
        onDemandCount.set(sku, [...(onDemandCount.get(sku) ?? []), figure]);
      }
    }
  }
  for (const [sku, skuFigures] of onDemandCount) {
    const only = skuFigures[0];
    if (skuFigures.length === 1 && only) {
      figures.set(sku, { ...only, key: sku, sameAs: only.key });
      figures.set(only.key, { ...only, sameAs: sku });
    }
  }
  for (const [sku, terms] of Object.entries(file.terms.Reserved ?? {})) {
    for (const term of Object.values(terms)) {
      for (const dimension of Object.values(term.priceDimensions)) {
        const attributes = Object.values(term.termAttributes ?? {}).join(', ');
        figures.set(dimension.rateCode, {
          key: dimension.rateCode,
          amount: new Decimal(dimension.pricePerUnit.USD),
          unit: dimension.unit,
          description: `${dimension.description}${attributes ? ` (reserved: ${attributes})` : ''} [${sku}]`,
          effectiveFrom: new Date(term.effectiveDate),
        });
      }
    }
  }
  return {
    format: 'aws-offer',
    figures,
    publishedAt: new Date(file.publicationDate),
    label: `${file.offerCode} ${file.version}`,
  };
}

const costNumber = z
  .number({ error: 'expected a number (LiteLLM writes costs as JSON numbers)' })
  .finite()
  .nonnegative({ error: 'a cost cannot be negative' });

const litellmSchema = z.record(
  z.string(),
  z.looseObject({
    input_cost_per_token: costNumber.optional(),
    output_cost_per_token: costNumber.optional(),
    litellm_provider: z.string().optional(),
    mode: z.string().optional(),
  }),
);

function parseLiteLlm(text: string, what: string): ParsedPriceFile {
  const file = parseWith(litellmSchema, parseJson(text, what, 'litellm'), what);
  const figures = new Map<string, PriceFigure>();
  for (const [model, entry] of Object.entries(file)) {
    // LiteLLM documents the format with a `sample_spec` entry whose values are words, not prices.
    if (model === 'sample_spec') continue;
    for (const [field, value] of Object.entries(entry)) {
      const match = /_cost_per_(.+)$/.exec(field);
      if (!match) continue;
      const parsed = costNumber.safeParse(value);
      if (!parsed.success)
        throw new PriceFileError(
          [{ path: `${model}.${field}`, message: parsed.error.issues[0]?.message ?? 'expected a number' }],
          what,
        );
      const key = `${model}.${field}`;
      figures.set(key, {
        key,
        amount: new Decimal(String(parsed.data)),
        unit: `per ${match[1]?.replace(/_/g, ' ')}`,
        description: `${model} ${field}${entry.litellm_provider ? ` (${entry.litellm_provider})` : ''}`,
        effectiveFrom: null,
      });
    }
  }
  return {
    format: 'litellm',
    figures,
    publishedAt: null,
    label: 'LiteLLM model_prices_and_context_window.json',
  };
}

/** RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell !== ''));
}

function parseSkyPilot(text: string, what: string): ParsedPriceFile {
  const [header, ...rows] = parseCsvRows(text);
  const required = ['InstanceType', 'Price', 'Region'];
  const missing = required.filter((column) => !header?.includes(column));
  if (!header || missing.length)
    throw new PriceFileError(
      [
        {
          path: 'header',
          message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a SkyPilot catalog has InstanceType, AcceleratorName, AcceleratorCount, vCPUs, MemoryGiB, Price, Region, SpotPrice)`,
        },
      ],
      what,
    );
  const column = (name: string) => header.indexOf(name);
  const figures = new Map<string, PriceFigure>();
  const problems: { path: string; message: string }[] = [];
  rows.forEach((cells, index) => {
    const line = index + 2;
    const instance = cells[column('InstanceType')] ?? '';
    const region = cells[column('Region')] ?? '';
    const accelerator = column('AcceleratorName') >= 0 ? cells[column('AcceleratorName')] : '';
    for (const [name, suffix] of [
      ['Price', ''],
      ['SpotPrice', ':spot'],
    ] as const) {
      if (column(name) < 0) continue;
      const cell = (cells[column(name)] ?? '').trim();
      if (cell === '') continue; // SkyPilot leaves a price empty where none is offered.
      if (!/^\d+(\.\d+)?$/.test(cell)) {
        problems.push({
          path: `line ${line}, column ${name}`,
          message: `expected a decimal price, got "${cell}"`,
        });
        continue;
      }
      const key = `${instance}@${region}${suffix}`;
      figures.set(key, {
        key,
        amount: new Decimal(cell),
        unit: 'per instance-hour',
        description: `${instance}${accelerator ? ` (${accelerator})` : ''} in ${region}${suffix ? ', spot' : ''}`,
        effectiveFrom: null,
      });
    }
  });
  if (problems.length) throw new PriceFileError(problems.slice(0, 20), what);
  return { format: 'skypilot', figures, publishedAt: null, label: 'SkyPilot catalog' };
}

export function parsePriceFile(format: PriceFileFormat, text: string, what: string): ParsedPriceFile {
  switch (format) {
    case 'aws-offer':
      return parseAwsOffer(text, what);
    case 'litellm':
      return parseLiteLlm(text, what);
    case 'skypilot':
      return parseSkyPilot(text, what);
  }
}
