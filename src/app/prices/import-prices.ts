import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  type ParsedPriceFile,
  PRICE_FILE_FORMATS,
  PriceFileError,
  parsePriceFile,
} from '../../domain/imports/price-files';
import { valueAt } from '../../domain/price-history';
import type { PrismaClient } from '../../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { recordPriceValue } from './record-value';

/**
 * A price-file import: a file in one of the formats users download, and a mapping (YAML) that says
 * which key of the file feeds which price component. A dry run reports the diff; applying records
 * the changed figures as new dated values in one transaction. Keys the mapping names but the file
 * lacks, and keys the file has but the mapping does not name, are listed — never guessed.
 */
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a price component slug such as "bedrock-on-demand-8b-input"');

export const priceMappingSchema = z
  .object({
    format: z.enum(PRICE_FILE_FORMATS, { error: `format must be one of ${PRICE_FILE_FORMATS.join(', ')}` }),
    source: z
      .string()
      .min(3, 'say where the file came from, e.g. "AWS Price List bulk offer file AmazonBedrock"'),
    sourceUrl: z.string().url('sourceUrl must be a URL').optional(),
    confidence: z.enum(['C', 'S', 'U']).default('C'),
    /** The date the figures apply from, for files that carry none (LiteLLM, SkyPilot). */
    asOf: z
      .union([z.date(), z.iso.date()])
      .transform((value) => new Date(value))
      .optional(),
    prices: z
      .array(
        z.object({
          key: z
            .string()
            .min(
              1,
              'the key of the figure in the file (an AWS SKU or rate code, "model.input_cost_per_token", "p5.48xlarge@us-east-1")',
            ),
          component: slug,
          /** Converts the file's unit to the component's, e.g. "1000000" from per token to per 1M tokens. */
          multiply: z
            .string()
            .regex(/^\d+(\.\d+)?$/, 'multiply is a decimal string such as "1000"')
            .default('1'),
          /** The unit the file must state for this key; a different unit stops the import. */
          fileUnit: z.string().optional(),
        }),
      )
      .min(1, 'map at least one key to a price component'),
  })
  .refine((mapping) => mapping.format === 'aws-offer' || mapping.asOf !== undefined, {
    message: 'LiteLLM and SkyPilot files carry no date: give asOf (the day you downloaded the file)',
    path: ['asOf'],
  });
export type PriceMapping = z.output<typeof priceMappingSchema>;

export class PriceMappingError extends Error {}

export function parsePriceMapping(text: string, what: string): PriceMapping {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PriceMappingError(`${what}: not valid YAML (${(error as Error).message})`);
  }
  const parsed = priceMappingSchema.safeParse(document);
  if (!parsed.success)
    throw new PriceMappingError(
      `${what} is invalid; nothing was read:\n${parsed.error.issues
        .map((issue) => `  at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
        .join('\n')}`,
    );
  return parsed.data;
}

export interface PriceChange {
  component: string;
  key: string;
  unit: string;
  before: { amount: string; effectiveFrom: string; source: string } | null;
  after: { amount: string; effectiveFrom: string; source: string };
  /** CHANGED: a new amount; CONFIRMED: the same amount, newer date (it refreshes staleness); UNCHANGED. */
  kind: 'CHANGED' | 'CONFIRMED' | 'UNCHANGED';
  line: string;
}

export interface PriceImportReport {
  file: string;
  format: string;
  fileLabel: string;
  fingerprint: string;
  changes: PriceChange[];
  /** Keys the mapping names that the file does not hold. */
  missingKeys: string[];
  /** Keys the file holds that no mapping line names (first 200). */
  unmappedKeys: string[];
  unmappedCount: number;
  applied: boolean;
  recorded: number;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function money(amount: Decimal): string {
  const fixed = amount.toFixed();
  const [whole = '0', fraction = ''] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${grouped}${fraction ? `.${fraction.length < 2 ? fraction.padEnd(2, '0') : fraction}` : ''}`;
}

/** Reads, checks and diffs; with `apply`, records the changed figures. Nothing is written on any error. */
export async function importPriceFile(
  prisma: PrismaClient,
  input: {
    fileName: string;
    fileText: string;
    mappingText: string;
    mappingName: string;
    apply: boolean;
    actor: string;
  },
): Promise<PriceImportReport> {
  const mapping = parsePriceMapping(input.mappingText, input.mappingName);
  const file: ParsedPriceFile = parsePriceFile(mapping.format, input.fileText, input.fileName);
  const fingerprint = createHash('sha256').update(input.fileText).digest('hex').slice(0, 16);

  const components = await prisma.priceComponent.findMany({
    where: { slug: { in: mapping.prices.map((line) => line.component) } },
    include: { values: true },
  });
  const unknownComponents = mapping.prices
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => !components.some((component) => component.slug === line.component));
  if (unknownComponents.length)
    throw new PriceMappingError(
      `${input.mappingName} names price components that do not exist; nothing was read:\n${unknownComponents
        .map(({ line, index }) => `  at prices[${index}].component: no price component "${line.component}"`)
        .join('\n')}`,
    );

  const now = new Date();
  const changes: PriceChange[] = [];
  const missingKeys: string[] = [];
  const unitProblems: string[] = [];
  mapping.prices.forEach((line, index) => {
    const figure = file.figures.get(line.key);
    if (!figure) {
      missingKeys.push(line.key);
      return;
    }
    if (line.fileUnit && figure.unit !== line.fileUnit)
      unitProblems.push(
        `  at prices[${index}].fileUnit: the file prices "${line.key}" per "${figure.unit}", not per "${line.fileUnit}"; fix the mapping's multiply and fileUnit`,
      );
    const component = components.find((item) => item.slug === line.component);
    if (!component) return;
    const current = valueAt(component.values, now);
    const amount = figure.amount.times(new Decimal(line.multiply));
    // Stored prices keep 8 decimal places; more would be rounded quietly, so it is refused.
    if (amount.decimalPlaces() > 8)
      unitProblems.push(
        `  at prices[${index}].multiply: ${figure.amount.toFixed()} x ${line.multiply} = ${amount.toFixed()} has more than 8 decimal places; price the component in a larger unit`,
      );
    const effectiveFrom = figure.effectiveFrom ?? file.publishedAt ?? mapping.asOf ?? now;
    const source = `${mapping.source} (${file.label}, key ${line.key})`;
    const before = current
      ? {
          amount: new Decimal(current.amount.toString()),
          effectiveFrom: current.effectiveFrom,
          source: current.source,
        }
      : null;
    const sameAmount = before?.amount.equals(amount) === true;
    const newerDate = before !== null && effectiveFrom.getTime() > before.effectiveFrom.getTime();
    const kind: PriceChange['kind'] = !sameAmount ? 'CHANGED' : newerDate ? 'CONFIRMED' : 'UNCHANGED';
    const arrow = before ? `${money(before.amount)} → ${money(amount)}` : `(no value) → ${money(amount)}`;
    const lineText =
      kind === 'CHANGED'
        ? `${component.slug}: ${arrow} ${component.unit}, as of ${day(effectiveFrom)}, source ${source}`
        : kind === 'CONFIRMED'
          ? `${component.slug}: ${money(amount)} ${component.unit} confirmed as of ${day(effectiveFrom)} (was dated ${before ? day(before.effectiveFrom) : '—'}), source ${source}`
          : `${component.slug}: ${money(amount)} ${component.unit} unchanged (already dated ${before ? day(before.effectiveFrom) : '—'})`;
    changes.push({
      component: component.slug,
      key: line.key,
      unit: component.unit,
      before: before
        ? { amount: before.amount.toFixed(), effectiveFrom: day(before.effectiveFrom), source: before.source }
        : null,
      after: { amount: amount.toFixed(), effectiveFrom: day(effectiveFrom), source },
      kind,
      line: lineText,
    });
  });
  if (unitProblems.length)
    throw new PriceMappingError(
      `${input.mappingName} does not match ${input.fileName}; nothing was stored:\n${unitProblems.join('\n')}`,
    );

  const mappedKeys = new Set(mapping.prices.map((line) => line.key));
  // A figure mapped by one of its keys (an AWS SKU) is not listed again under its other (its rate code).
  const unmapped = [...file.figures.values()]
    .filter((figure) => !mappedKeys.has(figure.key) && !(figure.sameAs && mappedKeys.has(figure.sameAs)))
    .map((figure) => figure.key)
    .sort();
  let recorded = 0;
  if (input.apply) {
    await prisma.$transaction(async (tx) => {
      for (const change of changes) {
        if (change.kind === 'UNCHANGED') continue;
        const component = components.find((item) => item.slug === change.component);
        if (!component) continue;
        const created = await recordPriceValue(tx, {
          componentId: component.id,
          amount: change.after.amount,
          effectiveFrom: new Date(change.after.effectiveFrom),
          source: change.after.source,
          sourceUrl: mapping.sourceUrl ?? null,
          confidence: mapping.confidence,
          recordedBy: `import:${input.actor}`,
          // The same file applied twice adds nothing the second time.
          fingerprint: `import:${fingerprint}:${component.slug}:${change.key}`,
        });
        if (created) recorded += 1;
      }
      if (recorded > 0)
        await recordAudit(tx, {
          actor: input.actor,
          action: 'price.import',
          entityType: 'PriceImport',
          entityId: fingerprint,
          after: {
            file: input.fileName,
            format: mapping.format,
            recorded,
            changes: changes.map((change) => change.line),
          },
        });
    });
  }
  return {
    file: input.fileName,
    format: mapping.format,
    fileLabel: file.label,
    fingerprint,
    changes,
    missingKeys,
    unmappedKeys: unmapped.slice(0, 200),
    unmappedCount: unmapped.length,
    applied: input.apply,
    recorded,
  };
}

export function formatImportReport(report: PriceImportReport): string {
  const lines = [
    `${report.file}: ${report.fileLabel} (${report.format}, sha256 ${report.fingerprint})`,
    report.applied
      ? `Applied: ${report.recorded} new dated value(s) recorded.`
      : 'Dry run: nothing stored. Run again without --dry-run to record these.',
    '',
  ];
  for (const change of report.changes) lines.push(`  ${change.line}`);
  if (report.missingKeys.length) {
    lines.push('', 'Mapped keys not in the file (nothing recorded for them):');
    for (const key of report.missingKeys) lines.push(`  ${key}`);
  }
  if (report.unmappedCount) {
    lines.push(
      '',
      `Keys in the file that the mapping does not name (${report.unmappedCount}; not guessed — map them to import them):`,
    );
    for (const key of report.unmappedKeys.slice(0, 50)) lines.push(`  ${key}`);
    if (report.unmappedCount > 50)
      lines.push(`  … and ${report.unmappedCount - 50} more (--json lists up to 200)`);
  }
  return lines.join('\n');
}

export { PriceFileError };
