import type Decimal from 'decimal.js';
import type { AccessOutcomeName } from '../access';
import type { BoxOwnership } from '../box-ownership';
import type { SloTargets } from '../slo-search';

/**
 * The evidence snapshot: everything the decision engine may use, as plain data. A DB loader fills
 * it (converting Prisma `Decimal`s with `new Decimal(value.toString())`), tests build it by hand.
 * Every record carries a stable string id so verdicts can cite the evidence they rest on.
 */
export interface EvidenceSnapshot {
  /** ISO date (YYYY-MM-DD) the answer is computed at; staleness is measured against it. */
  now: string;
  paths: ServingPath[];
  boxes: Box[];
  models: ModelVariant[];
  throughput: ThroughputResult[];
  /** SLO sweeps on boxes (optional: snapshots built before sweeps existed have none). */
  sweeps?: SloSweepEvidence[] | undefined;
  quality: QualityEvaluation[];
  access: AccessRecord[];
}

export type PathKind =
  | 'OWNED_BOX'
  | 'PROVISIONED_THROUGHPUT'
  | 'CUSTOM_MODEL_IMPORT'
  | 'NATIVE_FINE_TUNE'
  | 'ON_DEMAND_TOKENS'
  | 'RENTED_INSTANCE';

export const PATH_KINDS: readonly PathKind[] = [
  'OWNED_BOX',
  'PROVISIONED_THROUGHPUT',
  'CUSTOM_MODEL_IMPORT',
  'NATIVE_FINE_TUNE',
  'ON_DEMAND_TOKENS',
  'RENTED_INSTANCE',
];

/** C = vendor source, S = secondary source, U = unconfirmed or conflicting. */
export type Confidence = 'C' | 'S' | 'U';

/**
 * What a price is for. The cost model of each path kind reads the kinds it needs:
 * - PURCHASE (per box, one-time; overrides `Box.purchasePrice` so the price can be cited)
 * - ELECTRICITY_PER_KWH, OPS_PER_MONTH (owned box)
 * - MODEL_UNIT_HOUR (per model unit per hour; `commitmentMonths` 0 = no commitment)
 * - CMU_MINUTE, CMU_STORAGE_MONTH (custom model import)
 * - TRAINING_PER_1K_TOKENS, MODEL_STORAGE_MONTH (native fine-tune)
 * - INPUT_PER_1M_TOKENS, OUTPUT_PER_1M_TOKENS (on-demand tokens)
 * - INSTANCE_HOUR (rented instance; `minimumDurationHours` for capacity blocks)
 */
export type PriceComponentKind =
  | 'PURCHASE'
  | 'ELECTRICITY_PER_KWH'
  | 'OPS_PER_MONTH'
  | 'MODEL_UNIT_HOUR'
  | 'CMU_MINUTE'
  | 'CMU_STORAGE_MONTH'
  | 'TRAINING_PER_1K_TOKENS'
  | 'MODEL_STORAGE_MONTH'
  | 'INPUT_PER_1M_TOKENS'
  | 'OUTPUT_PER_1M_TOKENS'
  | 'INSTANCE_HOUR';

export interface PriceComponent {
  id: string;
  kind: PriceComponentKind;
  amount: Decimal;
  currency: string;
  /** Free text for people ("per CMU per minute"); the engine relies on `kind`, not on this. */
  unit: string;
  billingWindowMinutes: number | null;
  /** 0 or null = no commitment. */
  commitmentMonths: number | null;
  minimumDurationHours: number | null;
  /** null = any region. */
  region: string | null;
  source: string;
  /** ISO date the price was observed. */
  asOf: string;
  confidence: Confidence;
  /** The model this price applies to (token prices, CMU sizes, PT rates); null = any model. */
  modelSlug: string | null;
  /** True when the number is our assumption, not a published price. */
  isAssumption: boolean;
}

/**
 * What a path's capacity assumption states. Throughputs are output tokens, because decode is what
 * bounds serving capacity on every path here; measured benchmark results replace these.
 */
export type CapacityAssumptionKind =
  | 'CMUS_PER_COPY'
  | 'OUTPUT_TOKENS_PER_MINUTE_PER_UNIT'
  | 'DECODE_TOKENS_PER_SECOND_PER_STREAM'
  | 'TTFT_P95_MS'
  /** Most units one account may hold on this path without a support case (e.g. PT no-commit: 2). */
  | 'MAX_UNITS_WITHOUT_QUOTA_CASE';

export interface CapacityAssumption {
  id: string;
  kind: CapacityAssumptionKind;
  /** null = any model. */
  modelSlug: string | null;
  value: number;
  source: string;
  isAssumption: boolean;
}

export interface QuotaWall {
  /** True while the wall is unresolved (quota at zero, a support case open, …). */
  blocked: boolean;
  note: string;
}

export interface ServingPath {
  id: string;
  slug: string;
  name: string;
  kind: PathKind;
  /** Can serve fine-tuned weights at all. */
  customWeightsSupported: boolean;
  /** The customer can take the weights out (download, move elsewhere). */
  weightsExportable: boolean;
  /** The customer brings weights trained elsewhere (our LoRA); false = the platform trains them. */
  bringYourOwnWeights: boolean;
  scaleToZero: boolean;
  coldStartSeconds: number | null;
  quotaRequired: boolean;
  quotaWall: QuotaWall;
  leadTimeDays: number | null;
  /** DAPM layer2b (runtime) placement is Retained on this path. */
  runtimeRetained: boolean;
  boxSlug: string | null;
  priceComponents: PriceComponent[];
  capacityAssumptions: CapacityAssumption[];
}

/**
 * A machine a runner can run on (so it can be swept), owned or rented. Only an owned box has a
 * purchase price, amortization and power draw (box-ownership.ts); a rented one is priced per
 * instance-hour on its rented-instance paths.
 */
export interface Box {
  slug: string;
  name: string;
  ownership: BoxOwnership;
  memoryGiB: number;
  memoryBandwidthGBs: number;
  /** Wall draw while serving, watts; null on rented hardware (the instance-hour includes it). */
  powerActiveW: number | null;
  /** Wall draw while powered with nothing to serve, watts; null on rented hardware. */
  powerIdleW: number | null;
  /** Null on rented hardware. */
  purchasePrice: Decimal | null;
  amortizationMonths: number | null;
}

export interface ModelVariant {
  slug: string;
  name: string;
  /** Equal to `slug` for a base model. */
  baseModelSlug: string;
  isFineTuned: boolean;
  totalParamsB: number;
  activeParamsB: number;
  moe: boolean;
  /** Weights we trained and hold (a LoRA, a full fine-tune). */
  customWeights: boolean;
  /** Dataset size for a platform-side fine-tune of this variant; null when unknown. */
  training: { tokens: number; epochs: number } | null;
}

export interface ThroughputResult {
  id: string;
  /** Exactly one of pathSlug / boxSlug identifies where it ran. */
  pathSlug: string | null;
  boxSlug: string | null;
  variantSlug: string;
  concurrency: number;
  decodeTokensPerSecondPerStream: number;
  aggregateOutputTokensPerSecond: number;
  ttftP95Ms: number | null;
  /** false = roofline or assumed estimate, not a run. */
  measured: boolean;
  source: string;
}

/** One level of an SLO sweep, as the engine reads it. */
export interface SweptLevel {
  /** The level's stored benchmark result. */
  resultId: string;
  concurrency: number;
  meetsSlo: boolean;
  /** Stopped before all its requests ran: its statistics are partial, so it is not sized on. */
  stoppedEarly: boolean;
  failed: number;
  /** 1000 / mean TPOT. */
  decodeTokensPerSecondPerStream: number | null;
  ttftP95Ms: number | null;
  outputTokensPerSecond: number;
  /** Output tokens/s of requests meeting every objective of the sweep. */
  goodputOutputTokensPerSecond: number | null;
}

/** An SLO sweep on a box for one variant and server configuration (MEASUREMENT.md). */
export interface SloSweepEvidence {
  id: string;
  boxSlug: string;
  variantSlug: string;
  serverConfiguration: string | null;
  slos: SloTargets;
  maxConcurrencyAtSlo: number | null;
  levels: SweptLevel[];
  /** ISO date-time. */
  measuredAt: string;
}

export interface QualityEvaluation {
  id: string;
  variantSlug: string;
  accepted: number;
  total: number;
  /** Which frozen set and judges; free text. */
  note: string;
}

export interface AccessRecord {
  id: string;
  pathSlug: string;
  outcome: AccessOutcomeName;
  requestedAt: string;
  answeredAt: string | null;
  minimumCommitment: Decimal | null;
  note: string;
}
