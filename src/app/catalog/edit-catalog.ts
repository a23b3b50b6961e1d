import { z } from 'zod';
import {
  boxSeedSchema,
  capacitySeedSchema,
  datedFigures,
  decimalString,
  layer,
  pathSeedSchema,
  placement,
  priceSeedSchema,
  priceValueColumns,
  refineBoxOwnership,
  slug,
  variantSeedSchema,
} from '../../db/seed/files';
import { boxOwnershipIssues, pathBoxIssue } from '../../domain/box-ownership';
import { ValidationError, type ValidationIssue } from '../../domain/errors';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { recordEvidenceChange } from '../decisions/watch';
import { recordPriceValue } from '../prices/record-value';

/**
 * Catalog editing: model variants, boxes, serving paths, price components and capacity facts,
 * written in the same shape as `seeds/` (the seed loader's schemas). One document is applied in one
 * transaction: every problem is reported, each naming its field, and then nothing is written; or
 * everything is, each row with its audit event. Price amounts are only ever added as dated values
 * (recordPriceValue), never overwritten.
 */

export type CatalogMode = 'add' | 'edit';

export type CatalogEntityType = 'Box' | 'ModelVariant' | 'ServingPath' | 'PriceComponent' | 'CapacityFact';

export interface CatalogChange {
  entityType: CatalogEntityType;
  slug: string;
  action: 'ADDED' | 'UPDATED';
}

const SECTIONS = 'boxes, variants, paths, priceComponents, capacityFacts';

// Every price in floorplan is in US dollars; a figure in another currency must be converted first.
const usd = z.literal('USD', { message: 'prices are kept in USD: convert the figure first' }).optional();
const strictPlacements = z
  .array(z.strictObject({ layer, placement, rationale: z.string() }))
  .length(3, 'give all three layers (LAYER0, LAYER2B, LAYER2C)');
/**
 * A decimal that fits its column (NUMERIC(precision, scale)): more digits after the point are
 * refused rather than rounded quietly, more before it refused rather than failing in the database.
 */
const fits = (integerDigits: number, scale: number) =>
  decimalString.refine(
    (value) => {
      const [whole = '', fraction = ''] = value.replace('-', '').split('.');
      return whole.replace(/^0+(?=\d)/, '').length <= integerDigits && fraction.length <= scale;
    },
    `at most ${integerDigits} digits before the point and ${scale} after (e.g. "${'9'.repeat(Math.min(integerDigits, 4))}${scale ? `.${'5'.repeat(Math.min(scale, 3))}` : ''}")`,
  );
const notNegative = (value: string) => !value.startsWith('-');
const priceAmount = fits(12, 8).refine(notNegative, 'a price cannot be negative');
const quantity = fits(9, 3).refine(notNegative, 'cannot be negative');
const box = boxSeedSchema.extend({
  memoryGiB: quantity,
  memoryBandwidthGBs: quantity,
  powerActiveW: quantity.optional(),
  powerIdleW: quantity.optional(),
  purchasePrice: priceAmount.optional(),
});
const variant = variantSeedSchema.extend({ bytesPerParam: fits(3, 3).refine(notNegative).optional() });
const capacity = capacitySeedSchema.extend({ value: fits(12, 4).refine(notNegative, 'cannot be negative') });
const newPrice = priceSeedSchema
  .extend({
    currency: usd,
    amount: priceAmount,
    history: z
      .array(priceSeedSchema.shape.history.unwrap().element.extend({ amount: priceAmount }).strict())
      .default([]),
  })
  .strict();
const newCapacity = capacity.strict();

const additionsSchema = z
  .strictObject({
    boxes: z.array(box.strict().superRefine(refineBoxOwnership)).default([]),
    variants: z.array(variant.strict()).default([]),
    paths: z
      .array(
        pathSeedSchema
          .extend({
            placements: strictPlacements,
            prices: z.array(newPrice).default([]),
            capacity: z.array(newCapacity).default([]),
          })
          .strict(),
      )
      .default([]),
    priceComponents: z.array(newPrice.extend({ path: slug })).default([]),
    capacityFacts: z.array(newCapacity.extend({ path: slug })).default([]),
  })
  .refine((document) => Object.values(document).some((section) => section.length > 0), {
    message: `nothing to add: give at least one of ${SECTIONS}`,
  });

const identified = { slug: true } as const;
const editsSchema = z
  .strictObject({
    boxes: z.array(box.partial().required(identified).strict()).default([]),
    variants: z.array(variant.partial().required(identified).strict()).default([]),
    paths: z
      .array(
        pathSeedSchema
          .omit({ prices: true, capacity: true })
          .extend({ placements: strictPlacements })
          .partial()
          .required(identified)
          .strict(),
      )
      .default([]),
    priceComponents: z
      .array(
        priceSeedSchema
          .omit({ history: true })
          .extend({ currency: usd, amount: priceAmount })
          .partial()
          .required(identified)
          .strict()
          .refine((price) => price.amount === undefined || (price.source && price.asOf), {
            message: 'a new amount needs its source and asOf, so every price stays traceable',
            path: ['amount'],
          }),
      )
      .default([]),
    capacityFacts: z.array(capacity.partial().required(identified).strict()).default([]),
  })
  .refine((document) => Object.values(document).some((section) => section.length > 0), {
    message: `nothing to edit: give at least one of ${SECTIONS}`,
  });

type Additions = z.output<typeof additionsSchema>;
type Edits = z.output<typeof editsSchema>;
type Tx = Prisma.TransactionClient;

export interface ApplyCatalogOptions {
  mode: CatalogMode;
  /** The parsed document (YAML from the CLI, the GraphQL input): validated here. */
  document: unknown;
  /** Who made the change, for the audit and the price values (`token:NAME`, `cli:USER`). */
  actor: string;
  /** Where a field path starts in messages: "" for a file, "input" for GraphQL. */
  root?: string;
  /** The first words of a refusal, e.g. "my-lora.yaml: nothing was written". */
  refusal?: string;
}

export async function applyCatalogChange(
  prisma: PrismaClient,
  options: ApplyCatalogOptions,
): Promise<CatalogChange[]> {
  const root = options.root ?? '';
  const refusal = options.refusal ?? 'Catalog change refused, nothing was written';
  const schema = options.mode === 'add' ? additionsSchema : editsSchema;
  const parsed = schema.safeParse(options.document);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        path: fieldPath(root, issue.path),
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown field(s) ${issue.keys.join(', ')}: check the spelling against seeds/*.yaml`
            : issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
              ? `required (${issue.expected})`
              : issue.message,
      })),
      refusal,
    );
  }
  return prisma.$transaction(
    async (tx) => {
      const writer = new CatalogWriter(tx, options.actor, root);
      if (options.mode === 'add') await writer.add(parsed.data as Additions);
      else await writer.edit(parsed.data as Edits, options.document);
      if (writer.issues.length > 0) throw new ValidationError(writer.issues, refusal);
      return writer.changes;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

function fieldPath(root: string, segments: readonly PropertyKey[]): string {
  const path = segments
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('');
  const joined = `${root}${path}`.replace(/^\./, '');
  return joined || '(document)';
}

/** The fields an edit actually gave: zod fills defaults in, an edit must not apply them. */
function given<T extends object>(parsed: T, raw: unknown): Partial<T> {
  if (typeof raw !== 'object' || raw === null) return parsed;
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in raw)) as Partial<T>;
}

function rawItem(document: unknown, section: string, index: number): unknown {
  const list = (document as Record<string, unknown> | null)?.[section];
  return Array.isArray(list) ? list[index] : undefined;
}

type ReferenceKind = 'vendor' | 'model' | 'box' | 'path' | 'variant' | 'priceComponent' | 'capacityFact';

const KIND_WORDS: Record<ReferenceKind, string> = {
  vendor: 'vendor',
  model: 'model',
  box: 'box',
  path: 'serving path',
  variant: 'model variant',
  priceComponent: 'price component',
  capacityFact: 'capacity fact',
};

class CatalogWriter {
  readonly issues: ValidationIssue[] = [];
  readonly changes: CatalogChange[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly actor: string,
    private readonly root: string,
  ) {}

  private at(section: string, index: number, field?: string): string {
    return fieldPath(this.root, [section, index, ...(field ? [field] : [])]);
  }

  private async findId(kind: ReferenceKind, slugValue: string): Promise<string | null> {
    const where = { where: { slug: slugValue }, select: { id: true } } as const;
    const row = await {
      vendor: () => this.tx.vendor.findUnique(where),
      model: () => this.tx.model.findUnique(where),
      box: () => this.tx.box.findUnique(where),
      path: () => this.tx.servingPath.findUnique(where),
      variant: () => this.tx.modelVariant.findUnique(where),
      priceComponent: () => this.tx.priceComponent.findUnique(where),
      capacityFact: () => this.tx.capacityFact.findUnique(where),
    }[kind]();
    return row?.id ?? null;
  }

  private async knownSlugs(kind: ReferenceKind): Promise<string> {
    const query = { select: { slug: true }, orderBy: { slug: 'asc' }, take: 13 } as const;
    const rows: { slug: string }[] = await {
      vendor: () => this.tx.vendor.findMany(query),
      model: () => this.tx.model.findMany(query),
      box: () => this.tx.box.findMany(query),
      path: () => this.tx.servingPath.findMany(query),
      variant: () => this.tx.modelVariant.findMany(query),
      priceComponent: () => this.tx.priceComponent.findMany(query),
      capacityFact: () => this.tx.capacityFact.findMany(query),
    }[kind]();
    const names = rows.slice(0, 12).map((row) => row.slug);
    return names.length ? `known: ${names.join(', ')}${rows.length > 12 ? ', …' : ''}` : 'none yet';
  }

  /** The id a reference names, or null after recording an issue at `field`. */
  private async reference(kind: ReferenceKind, slugValue: string, field: string): Promise<string | null> {
    const id = await this.findId(kind, slugValue);
    if (!id)
      this.issues.push({
        path: field,
        message: `no ${KIND_WORDS[kind]} "${slugValue}" (${await this.knownSlugs(kind)})`,
      });
    return id;
  }

  private async optionalReference(kind: ReferenceKind, slugValue: string | undefined, field: string) {
    if (slugValue === undefined) return { ok: true, id: null } as const;
    const id = await this.reference(kind, slugValue, field);
    return id ? ({ ok: true, id } as const) : ({ ok: false } as const);
  }

  /** True when the slug is free; otherwise an issue that points to `catalog edit`. */
  private async isNew(kind: ReferenceKind, slugValue: string, field: string): Promise<boolean> {
    if (!(await this.findId(kind, slugValue))) return true;
    this.issues.push({
      path: field,
      message: `a ${KIND_WORDS[kind]} "${slugValue}" already exists: change it with catalog edit (GraphQL editCatalog)`,
    });
    return false;
  }

  private async audit(
    action: 'ADDED' | 'UPDATED',
    entityType: CatalogEntityType,
    row: { id: string; slug: string },
    before: unknown,
    after: unknown,
  ): Promise<string> {
    const auditId = await recordAudit(this.tx, {
      actor: this.actor,
      action: action === 'ADDED' ? 'catalog.add' : 'catalog.edit',
      entityType,
      entityId: row.id,
      ...(before === undefined ? {} : { before }),
      after,
    });
    this.changes.push({ entityType, slug: row.slug, action });
    return auditId;
  }

  /**
   * A capacity fact sizes every path that has no measurement: adding or changing one re-checks the
   * watched decisions. The change names the audit row, which keeps the value before it (facts are
   * edited in place, unlike prices, which keep every dated value).
   */
  private async capacityChanged(
    auditId: string,
    row: { slug: string; value: { toString(): string } },
    before?: { value: { toString(): string } },
  ): Promise<void> {
    await recordEvidenceChange(this.tx, {
      kind: 'CAPACITY_FACT',
      subjectId: auditId,
      summary: `${row.slug}: ${before ? before.value.toString() : '(new)'} → ${row.value.toString()}`,
    });
  }

  async add(document: Additions): Promise<void> {
    for (const [index, { vendor, ...box }] of document.boxes.entries()) {
      const fresh = await this.isNew('box', box.slug, this.at('boxes', index, 'slug'));
      const vendorId = await this.reference('vendor', vendor, this.at('boxes', index, 'vendor'));
      if (!fresh || !vendorId) continue;
      const row = await this.tx.box.create({ data: { ...box, vendorId } });
      await this.audit('ADDED', 'Box', row, undefined, row);
    }
    for (const [index, { model, ...variant }] of document.variants.entries()) {
      const fresh = await this.isNew('variant', variant.slug, this.at('variants', index, 'slug'));
      const modelId = await this.reference('model', model, this.at('variants', index, 'model'));
      if (!fresh || !modelId) continue;
      const row = await this.tx.modelVariant.create({ data: { ...variant, modelId } });
      await this.audit('ADDED', 'ModelVariant', row, undefined, row);
    }
    for (const [index, { vendor, box, placements, prices, capacity, ...path }] of document.paths.entries()) {
      const fresh = await this.isNew('path', path.slug, this.at('paths', index, 'slug'));
      const vendorId = await this.reference('vendor', vendor, this.at('paths', index, 'vendor'));
      const boxId = await this.optionalReference('box', box, this.at('paths', index, 'box'));
      if (!fresh || !vendorId || !boxId.ok) continue;
      if (!(await this.pairsWithBox(path.kind, boxId.id, this.at('paths', index, 'box')))) continue;
      const row = await this.tx.servingPath.create({ data: { ...path, vendorId, boxId: boxId.id } });
      await this.tx.layerPlacement.createMany({
        data: placements.map((entry) => ({ ...entry, pathId: row.id })),
      });
      await this.audit('ADDED', 'ServingPath', row, undefined, { ...row, placements });
      for (const [priceIndex, price] of prices.entries())
        await this.addPrice(row.id, price, `paths[${index}].prices`, priceIndex);
      for (const [factIndex, fact] of capacity.entries())
        await this.addCapacity(row.id, fact, `paths[${index}].capacity`, factIndex);
    }
    for (const [index, { path, ...price }] of document.priceComponents.entries()) {
      const pathId = await this.reference('path', path, this.at('priceComponents', index, 'path'));
      if (pathId) await this.addPrice(pathId, price, 'priceComponents', index);
    }
    for (const [index, { path, ...fact }] of document.capacityFacts.entries()) {
      const pathId = await this.reference('path', path, this.at('capacityFacts', index, 'path'));
      if (pathId) await this.addCapacity(pathId, fact, 'capacityFacts', index);
    }
  }

  private async addPrice(
    pathId: string,
    { model, history, currency: _currency, ...price }: z.output<typeof newPrice>,
    section: string,
    index: number,
  ): Promise<void> {
    const fresh = await this.isNew('priceComponent', price.slug, this.at(section, index, 'slug'));
    const modelId = await this.optionalReference('model', model, this.at(section, index, 'model'));
    if (!fresh || !modelId.ok) return;
    const row = await this.tx.priceComponent.create({ data: { ...price, pathId, modelId: modelId.id } });
    // The figure and its history become dated values, as every later edit will.
    const values = [];
    for (const figure of datedFigures({ ...price, history })) {
      values.push(
        await recordPriceValue(this.tx, {
          componentId: row.id,
          ...priceValueColumns(figure),
          recordedBy: this.actor,
        }),
      );
    }
    const after = await this.tx.priceComponent.findUniqueOrThrow({ where: { id: row.id } });
    await this.audit('ADDED', 'PriceComponent', row, undefined, {
      ...after,
      addedValueIds: values.map((value) => value?.id),
    });
  }

  private async addCapacity(
    pathId: string,
    { model, ...fact }: z.output<typeof newCapacity>,
    section: string,
    index: number,
  ): Promise<void> {
    const fresh = await this.isNew('capacityFact', fact.slug, this.at(section, index, 'slug'));
    const modelId = await this.optionalReference('model', model, this.at(section, index, 'model'));
    if (!fresh || !modelId.ok) return;
    const row = await this.tx.capacityFact.create({ data: { ...fact, pathId, modelId: modelId.id } });
    await this.capacityChanged(await this.audit('ADDED', 'CapacityFact', row, undefined, row), row);
  }

  /** Whether a path of this kind may run on the box (box-ownership.ts); records an issue when not. */
  private async pairsWithBox(kind: string, boxId: string | null, field: string): Promise<boolean> {
    if (boxId === null) return true;
    const box = await this.tx.box.findUnique({
      where: { id: boxId },
      select: { slug: true, ownership: true },
    });
    const issue = pathBoxIssue(kind, box);
    if (issue) this.issues.push({ path: field, message: issue });
    return issue === null;
  }

  /** The row an edit names, or null after recording an issue at its slug. */
  private async existing<Row>(
    kind: ReferenceKind,
    slugValue: string,
    field: string,
    find: () => Promise<Row | null>,
  ): Promise<Row | null> {
    const row = await find();
    if (!row)
      this.issues.push({
        path: field,
        message: `no ${KIND_WORDS[kind]} "${slugValue}" to edit (${await this.knownSlugs(kind)}); add it with catalog add (GraphQL addToCatalog)`,
      });
    return row;
  }

  async edit(document: Edits, raw: unknown): Promise<void> {
    for (const [index, parsed] of document.boxes.entries()) {
      const { slug: _slug, vendor, ...fields } = given(parsed, rawItem(raw, 'boxes', index));
      const before = await this.existing('box', parsed.slug, this.at('boxes', index, 'slug'), () =>
        this.tx.box.findUnique({ where: { slug: parsed.slug } }),
      );
      const vendorId = await this.optionalReference('vendor', vendor, this.at('boxes', index, 'vendor'));
      if (!before || !vendorId.ok) continue;
      // The box as it would be after the edit must still say what an owned box costs (or carry no
      // purchase price if rented), and its paths must still match it.
      const ownershipIssues = boxOwnershipIssues({ ...before, ...fields });
      for (const issue of ownershipIssues)
        this.issues.push({ path: this.at('boxes', index, issue.field), message: issue.message });
      if (ownershipIssues.length > 0) continue;
      if (fields.ownership !== undefined && fields.ownership !== before.ownership) {
        const paths = await this.tx.servingPath.findMany({
          where: { boxId: before.id },
          select: { slug: true, kind: true },
        });
        const mismatched = paths.filter((entry) =>
          pathBoxIssue(entry.kind, { slug: before.slug, ownership: fields.ownership ?? before.ownership }),
        );
        if (mismatched.length > 0) {
          this.issues.push({
            path: this.at('boxes', index, 'ownership'),
            message: `${before.slug} would be ${fields.ownership} while ${mismatched.map((entry) => `${entry.slug} (${entry.kind})`).join(', ')} run on it: change or move those paths first`,
          });
          continue;
        }
      }
      const row = await this.tx.box.update({
        where: { id: before.id },
        data: { ...fields, ...(vendorId.id ? { vendorId: vendorId.id } : {}) },
      });
      await this.audit('UPDATED', 'Box', row, before, row);
    }
    for (const [index, parsed] of document.variants.entries()) {
      const { slug: _slug, model, ...fields } = given(parsed, rawItem(raw, 'variants', index));
      const before = await this.existing('variant', parsed.slug, this.at('variants', index, 'slug'), () =>
        this.tx.modelVariant.findUnique({ where: { slug: parsed.slug } }),
      );
      const modelId = await this.optionalReference('model', model, this.at('variants', index, 'model'));
      if (!before || !modelId.ok) continue;
      const row = await this.tx.modelVariant.update({
        where: { id: before.id },
        data: { ...fields, ...(modelId.id ? { modelId: modelId.id } : {}) },
      });
      await this.audit('UPDATED', 'ModelVariant', row, before, row);
    }
    for (const [index, parsed] of document.paths.entries()) {
      const { slug: _slug, vendor, box, placements, ...fields } = given(parsed, rawItem(raw, 'paths', index));
      const before = await this.existing('path', parsed.slug, this.at('paths', index, 'slug'), () =>
        this.tx.servingPath.findUnique({ where: { slug: parsed.slug }, include: { placements: true } }),
      );
      const vendorId = await this.optionalReference('vendor', vendor, this.at('paths', index, 'vendor'));
      const boxId = await this.optionalReference('box', box, this.at('paths', index, 'box'));
      if (!before || !vendorId.ok || !boxId.ok) continue;
      const field = this.at('paths', index, box === undefined ? 'kind' : 'box');
      if (!(await this.pairsWithBox(fields.kind ?? before.kind, boxId.id ?? before.boxId, field))) continue;
      const row = await this.tx.servingPath.update({
        where: { id: before.id },
        data: {
          ...fields,
          ...(vendorId.id ? { vendorId: vendorId.id } : {}),
          ...(boxId.id ? { boxId: boxId.id } : {}),
        },
      });
      for (const entry of placements ?? []) {
        await this.tx.layerPlacement.upsert({
          where: { pathId_layer: { pathId: row.id, layer: entry.layer } },
          create: { ...entry, pathId: row.id },
          update: entry,
        });
      }
      await this.audit('UPDATED', 'ServingPath', row, before, {
        ...row,
        placements: placements ?? before.placements,
      });
    }
    for (const [index, parsed] of document.priceComponents.entries()) {
      const {
        slug: _slug,
        model,
        currency: _currency,
        amount,
        source,
        sourceUrl,
        asOf,
        confidence,
        ...fields
      } = given(parsed, rawItem(raw, 'priceComponents', index));
      const before = await this.existing(
        'priceComponent',
        parsed.slug,
        this.at('priceComponents', index, 'slug'),
        () => this.tx.priceComponent.findUnique({ where: { slug: parsed.slug } }),
      );
      const modelId = await this.optionalReference(
        'model',
        model,
        this.at('priceComponents', index, 'model'),
      );
      if (!before || !modelId.ok) continue;
      if (Object.keys(fields).length > 0 || modelId.id) {
        await this.tx.priceComponent.update({
          where: { id: before.id },
          data: { ...fields, ...(modelId.id ? { modelId: modelId.id } : {}) },
        });
      }
      // The figure and its provenance are history: a change is a new dated value, never an overwrite.
      const valueChanged = [amount, source, sourceUrl, asOf, confidence].some((value) => value !== undefined);
      const value = valueChanged
        ? await recordPriceValue(this.tx, {
            componentId: before.id,
            amount: amount ?? before.amount.toString(),
            effectiveFrom: asOf ?? before.asOf,
            source: source ?? before.source,
            sourceUrl: sourceUrl ?? before.sourceUrl,
            confidence: confidence ?? before.confidence,
            recordedBy: this.actor,
          })
        : null;
      const after = await this.tx.priceComponent.findUniqueOrThrow({ where: { id: before.id } });
      await this.audit('UPDATED', 'PriceComponent', after, before, {
        ...after,
        addedValueId: value?.id ?? null,
      });
    }
    for (const [index, parsed] of document.capacityFacts.entries()) {
      const { slug: _slug, model, ...fields } = given(parsed, rawItem(raw, 'capacityFacts', index));
      const before = await this.existing(
        'capacityFact',
        parsed.slug,
        this.at('capacityFacts', index, 'slug'),
        () => this.tx.capacityFact.findUnique({ where: { slug: parsed.slug } }),
      );
      const modelId = await this.optionalReference('model', model, this.at('capacityFacts', index, 'model'));
      if (!before || !modelId.ok) continue;
      const row = await this.tx.capacityFact.update({
        where: { id: before.id },
        data: { ...fields, ...(modelId.id ? { modelId: modelId.id } : {}) },
      });
      const auditId = await this.audit('UPDATED', 'CapacityFact', row, before, row);
      if (!row.value.equals(before.value) || row.modelId !== before.modelId || row.kind !== before.kind)
        await this.capacityChanged(auditId, row, before);
    }
  }
}
