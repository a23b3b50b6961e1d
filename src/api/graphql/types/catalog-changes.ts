import Decimal from 'decimal.js';
import { actorOf } from '../../../app/auth/identity';
import { applyCatalogChange, type CatalogChange, type CatalogMode } from '../../../app/catalog/edit-catalog';
import { builder } from '../builder';
import {
  AccessChannelEnum,
  BoxOwnershipEnum,
  CapacityKindEnum,
  ConfidenceEnum,
  DapmLayerEnum,
  FineTuneMethodEnum,
  PathKindEnum,
  PlacementEnum,
  PriceKindEnum,
} from './enums';

/**
 * Catalog editing over GraphQL: the input has the shape of `seeds/*.yaml` and of the file
 * `npx floorplan catalog add|edit` reads (the same service validates both). Every field but `slug`
 * is optional here; adding requires what the seeds require, and the error names each missing field.
 */

const CatalogEntityTypeEnum = builder.enumType('CatalogEntityType', {
  values: ['Box', 'ModelVariant', 'ServingPath', 'PriceComponent', 'CapacityFact'] as const,
});
const CatalogChangeActionEnum = builder.enumType('CatalogChangeAction', {
  values: ['ADDED', 'UPDATED'] as const,
});

const CatalogChangeRef = builder.objectRef<CatalogChange>('CatalogChange').implement({
  authScopes: { admin: true },
  description: 'One catalog row added or changed (and audited).',
  fields: (t) => ({
    entityType: t.field({ type: CatalogEntityTypeEnum, resolve: (change) => change.entityType }),
    slug: t.exposeString('slug'),
    action: t.field({ type: CatalogChangeActionEnum, resolve: (change) => change.action }),
  }),
});

const BoxInput = builder.inputType('CatalogBoxInput', {
  description: 'A box, as in seeds/catalog.yaml `boxes`.',
  fields: (t) => ({
    slug: t.string({ required: true }),
    name: t.string(),
    vendor: t.string({ description: "The vendor's slug." }),
    acceleratorClass: t.string(),
    ownership: t.field({
      type: BoxOwnershipEnum,
      description:
        'OWNED (the default) needs purchasePrice, amortizationMonths and power; RENTED takes none of purchasePrice or amortizationMonths (price it per instance-hour on its RENTED_INSTANCE path).',
    }),
    memoryGiB: t.field({ type: 'Decimal' }),
    memoryBandwidthGBs: t.field({ type: 'Decimal' }),
    powerActiveW: t.field({ type: 'Decimal' }),
    powerIdleW: t.field({ type: 'Decimal' }),
    purchasePrice: t.field({ type: 'Decimal' }),
    amortizationMonths: t.int(),
    source: t.string(),
    asOf: t.field({ type: 'DateTime' }),
    confidence: t.field({ type: ConfidenceEnum }),
  }),
});

const VariantInput = builder.inputType('CatalogModelVariantInput', {
  description: 'A model variant, as in seeds/catalog.yaml `variants` (your LoRA, say).',
  fields: (t) => ({
    slug: t.string({ required: true }),
    name: t.string(),
    model: t.string({ description: "The base model's slug, e.g. llama-3.1-8b-instruct." }),
    isFineTuned: t.boolean(),
    method: t.field({ type: FineTuneMethodEnum }),
    trainingMinutes: t.int(),
    trainedWhere: t.string(),
    weightsLocation: t.string(),
    weightsExportable: t.boolean(),
    quantization: t.string(),
    bytesPerParam: t.field({ type: 'Decimal' }),
    notes: t.string(),
  }),
});

const PlacementInput = builder.inputType('CatalogPlacementInput', {
  fields: (t) => ({
    layer: t.field({ type: DapmLayerEnum, required: true }),
    placement: t.field({ type: PlacementEnum, required: true }),
    rationale: t.string({ required: true }),
  }),
});

const PriceHistoryInput = builder.inputType('CatalogPriceValueInput', {
  description: 'An earlier or later figure of a new price, with its own date and source.',
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', required: true }),
    asOf: t.field({ type: 'DateTime', required: true }),
    source: t.string({ required: true }),
    sourceUrl: t.string(),
    confidence: t.field({ type: ConfidenceEnum, required: true }),
    note: t.string(),
  }),
});

const PriceInput = builder.inputType('CatalogPriceComponentInput', {
  description:
    "A price component, as in a path's `prices` in seeds/paths.yaml. A new amount (with its source and asOf) is added to the price's history; nothing is overwritten.",
  fields: (t) => ({
    slug: t.string({ required: true }),
    path: t.string({ description: "The serving path's slug (priceComponents only; not inside paths)." }),
    kind: t.field({ type: PriceKindEnum }),
    amount: t.field({ type: 'Decimal' }),
    currency: t.string({ description: 'USD (the only currency kept).' }),
    unit: t.string(),
    billingWindowMinutes: t.int(),
    commitmentMonths: t.int(),
    minimumDurationHours: t.int(),
    model: t.string(),
    region: t.string(),
    source: t.string(),
    sourceUrl: t.string(),
    asOf: t.field({ type: 'DateTime' }),
    confidence: t.field({ type: ConfidenceEnum }),
    isAssumption: t.boolean(),
    note: t.string(),
    history: t.field({ type: [PriceHistoryInput], description: 'Adding only.' }),
  }),
});

const CapacityInput = builder.inputType('CatalogCapacityFactInput', {
  description: "A capacity fact, as in a path's `capacity` in seeds/paths.yaml.",
  fields: (t) => ({
    slug: t.string({ required: true }),
    path: t.string({ description: "The serving path's slug (capacityFacts only; not inside paths)." }),
    kind: t.field({ type: CapacityKindEnum }),
    model: t.string(),
    value: t.field({ type: 'Decimal' }),
    source: t.string(),
    asOf: t.field({ type: 'DateTime' }),
    confidence: t.field({ type: ConfidenceEnum }),
    isAssumption: t.boolean(),
  }),
});

const PathInput = builder.inputType('CatalogServingPathInput', {
  description: 'A serving path, as in seeds/paths.yaml `paths`.',
  fields: (t) => ({
    slug: t.string({ required: true }),
    name: t.string(),
    description: t.string(),
    kind: t.field({ type: PathKindEnum }),
    vendor: t.string(),
    box: t.string(),
    acceleratorClass: t.string(),
    customWeightsSupported: t.boolean(),
    weightsExportable: t.boolean(),
    bringYourOwnWeights: t.boolean(),
    scaleToZero: t.boolean(),
    coldStartSeconds: t.int(),
    quotaRequired: t.boolean(),
    quotaWall: t.string(),
    procurementChannel: t.field({ type: AccessChannelEnum }),
    leadTimeDays: t.int(),
    region: t.string(),
    placements: t.field({ type: [PlacementInput] }),
    prices: t.field({ type: [PriceInput], description: 'Adding only: edit prices under priceComponents.' }),
    capacity: t.field({ type: [CapacityInput], description: 'Adding only: edit under capacityFacts.' }),
  }),
});

const CatalogInput = builder.inputType('CatalogInput', {
  description:
    'Catalog rows in the shape of seeds/*.yaml (and of the file `npx floorplan catalog add|edit` reads).',
  fields: (t) => ({
    boxes: t.field({ type: [BoxInput] }),
    variants: t.field({ type: [VariantInput] }),
    paths: t.field({ type: [PathInput] }),
    priceComponents: t.field({ type: [PriceInput] }),
    capacityFacts: t.field({ type: [CapacityInput] }),
  }),
});

/** GraphQL's values as the seed files write them: decimals as plain strings, absent for null. */
function asDocument(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(asDocument);
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== null && field !== undefined)
        .map(([key, field]) => [key, asDocument(field)]),
    );
  return value;
}

const change = (mode: CatalogMode, description: string) =>
  builder.mutationField(mode === 'add' ? 'addToCatalog' : 'editCatalog', (t) =>
    t.field({
      type: [CatalogChangeRef],
      description,
      authScopes: { admin: true },
      args: { input: t.arg({ type: CatalogInput, required: true }) },
      resolve: (_root, { input }, { prisma, identity }) =>
        applyCatalogChange(prisma, {
          mode,
          document: asDocument(input),
          actor: actorOf(identity),
          root: 'input',
        }),
    }),
  );

change(
  'add',
  'Add model variants, boxes, serving paths (with placements, prices, capacity), price components and capacity facts (admin). All or nothing, in one transaction; each row audited; a slug that exists is refused (use editCatalog).',
);
change(
  'edit',
  'Change fields of existing catalog rows named by slug (admin); only the fields given change. A new price amount needs its source and asOf and is added to the price history. All or nothing; each row audited with before and after.',
);
