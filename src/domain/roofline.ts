/**
 * Bandwidth roofline for single-stream decode, and the memory-fit check that uses the same bytes.
 *
 * Generating one token at batch 1 streams every active weight (and the KV cache so far) from memory
 * once, so on bandwidth-bound hardware (DGX Spark: 273 GB/s LPDDR5x):
 *
 *   decode tokens/s ≤ bandwidth / (active params × bytes per param + KV bytes at the context)
 *
 * A measured rate over this ceiling is the model bandwidth utilisation (MBU). Compute, kernel launch
 * gaps and sampling keep real decode below it; a measured value above 1 means the inputs are wrong
 * (usually the bytes per parameter of a mixed-precision checkpoint).
 *
 * Units: memory in GiB (2^30 bytes, how boxes are sold), bandwidth in GB/s (10^9 bytes/s, how
 * memory bandwidth is quoted), parameters in billions (10^9).
 */

const BYTES_PER_GIB = 2 ** 30;
const BYTES_PER_GB = 1e9;
const PARAMS_PER_BILLION = 1e9;

export const DGX_SPARK: BoxMemorySpec = { memoryGiB: 128, bandwidthGBps: 273 };

/**
 * Average bytes per weight, scales included: NVFP4 stores 4-bit values with one FP8 scale per 16
 * (4.5 bits); MXFP4 one 8-bit scale per 32 (4.25 bits). Layers kept in BF16 by a checkpoint raise
 * the true average; pass a measured average (file size / parameter count) when it matters.
 */
export const BYTES_PER_PARAMETER = {
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  nvfp4: 0.5625,
  mxfp4: 0.53125,
} as const;

export interface BoxMemorySpec {
  memoryGiB: number;
  bandwidthGBps: number;
}

/** What sets the KV cache size: per token, 2 (K and V) × layers × KV heads × head dim elements. */
export interface AttentionGeometry {
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Layers that attend only over a window (gpt-oss alternates them): their KV stops growing. */
  slidingWindow?: { layers: number; windowTokens: number };
}

export interface ModelShape {
  totalParamsB: number;
  /** Parameters read per token: all of them for dense models, the routed share for MoE. */
  activeParamsB: number;
  /** When unknown, KV size is approximated (see approximateAttentionGeometry). */
  attention?: AttentionGeometry;
}

export interface RooflineInput {
  box: BoxMemorySpec;
  model: ModelShape;
  bytesPerParameter: number;
  /** KV cache element size: 2 for a BF16/FP16 cache (vLLM's default), 1 for an FP8 cache. */
  kvCacheBytesPerElement?: number;
  contextTokens: number;
  concurrency: number;
  /** Share of box memory kept back for the OS, runtime, activations and CUDA graphs. */
  headroomFraction?: number;
  measuredDecodeTokensPerSecond?: number;
}

export interface MemoryFit {
  weightBytes: number;
  kvCacheBytes: number;
  requiredBytes: number;
  boxBytes: number;
  headroomFraction: number;
  usableBytes: number;
  fits: boolean;
  /** usable − required: negative when it does not fit. */
  spareBytes: number;
}

export interface RooflineResult {
  kvGeometry: AttentionGeometry;
  kvGeometrySource: 'given' | 'approximated';
  kvCacheBytesPerSequence: number;
  weightBytesReadPerToken: number;
  bytesReadPerToken: number;
  decodeCeilingTokensPerSecond: number;
  memoryFit: MemoryFit;
  /** measured / ceiling (MBU); null without a measurement. */
  efficiency: number | null;
  assumptions: string[];
}

/**
 * vLLM's default `--gpu-memory-utilization 0.9` leaves 10% of memory to everything else; on the
 * Spark's unified memory the OS lives in that share too.
 */
const DEFAULT_HEADROOM_FRACTION = 0.1;

/**
 * Llama-class approximation for models whose attention shape is not given: grouped-query attention
 * with 8 KV heads of dimension 128, and a layer count fitted to Llama 3 (8B → 32, 70B → 80 layers):
 * layers ≈ 13.3 × (total params in B)^0.4225. It overstates KV for MoE models, whose layer count
 * follows active rather than total size, so pass the geometry for those.
 */
export function approximateAttentionGeometry(totalParamsB: number): AttentionGeometry {
  return { layers: Math.max(1, Math.round(13.3 * totalParamsB ** 0.4225)), kvHeads: 8, headDim: 128 };
}

/** KV bytes one sequence holds (and decode reads) at a context length. */
export function kvCacheBytesPerSequence(
  geometry: AttentionGeometry,
  contextTokens: number,
  bytesPerElement: number,
): number {
  const bytesPerTokenPerLayer = 2 * geometry.kvHeads * geometry.headDim * bytesPerElement;
  const windowed = geometry.slidingWindow;
  const windowedLayers = windowed === undefined ? 0 : Math.min(windowed.layers, geometry.layers);
  const windowedTokens = windowed === undefined ? 0 : Math.min(contextTokens, windowed.windowTokens);
  const fullLayers = geometry.layers - windowedLayers;
  return bytesPerTokenPerLayer * (fullLayers * contextTokens + windowedLayers * windowedTokens);
}

export function computeRoofline(input: RooflineInput): RooflineResult {
  assertPositive('box.memoryGiB', input.box.memoryGiB);
  assertPositive('box.bandwidthGBps', input.box.bandwidthGBps);
  assertPositive('model.totalParamsB', input.model.totalParamsB);
  assertPositive('model.activeParamsB', input.model.activeParamsB);
  assertPositive('bytesPerParameter', input.bytesPerParameter);
  assertPositive('concurrency', input.concurrency);
  if (!(input.contextTokens >= 0)) throw new RangeError('contextTokens must be ≥ 0');
  if (input.model.activeParamsB > input.model.totalParamsB) {
    throw new RangeError('active parameters cannot exceed total parameters');
  }
  const headroomFraction = input.headroomFraction ?? DEFAULT_HEADROOM_FRACTION;
  if (!(headroomFraction >= 0 && headroomFraction < 1))
    throw new RangeError('headroomFraction must be in [0, 1)');
  const kvBytesPerElement = input.kvCacheBytesPerElement ?? 2;

  const assumptions: string[] = [
    `single stream: every active weight and the KV cache are read once per token at ${input.box.bandwidthGBps} GB/s`,
    `${input.bytesPerParameter} bytes per parameter for all weights`,
    `KV cache ${kvBytesPerElement} bytes per element`,
    `${Math.round(headroomFraction * 100)}% of memory kept back for the OS, runtime and activations`,
  ];
  const kvGeometrySource = input.model.attention === undefined ? 'approximated' : 'given';
  const kvGeometry = input.model.attention ?? approximateAttentionGeometry(input.model.totalParamsB);
  if (kvGeometrySource === 'approximated') {
    assumptions.push(
      `attention shape unknown: approximated as ${kvGeometry.layers} layers × 8 KV heads × 128 dims (Llama-class)`,
    );
  }

  const kvPerSequence = kvCacheBytesPerSequence(kvGeometry, input.contextTokens, kvBytesPerElement);
  const weightBytesReadPerToken = input.model.activeParamsB * PARAMS_PER_BILLION * input.bytesPerParameter;
  const bytesReadPerToken = weightBytesReadPerToken + kvPerSequence;
  const decodeCeilingTokensPerSecond = (input.box.bandwidthGBps * BYTES_PER_GB) / bytesReadPerToken;

  const weightBytes = input.model.totalParamsB * PARAMS_PER_BILLION * input.bytesPerParameter;
  const kvCacheBytes = kvPerSequence * input.concurrency;
  const boxBytes = input.box.memoryGiB * BYTES_PER_GIB;
  const usableBytes = boxBytes * (1 - headroomFraction);
  const requiredBytes = weightBytes + kvCacheBytes;

  const measured = input.measuredDecodeTokensPerSecond;
  return {
    kvGeometry,
    kvGeometrySource,
    kvCacheBytesPerSequence: kvPerSequence,
    weightBytesReadPerToken,
    bytesReadPerToken,
    decodeCeilingTokensPerSecond,
    memoryFit: {
      weightBytes,
      kvCacheBytes,
      requiredBytes,
      boxBytes,
      headroomFraction,
      usableBytes,
      fits: requiredBytes <= usableBytes,
      spareBytes: usableBytes - requiredBytes,
    },
    efficiency: measured === undefined ? null : measured / decodeCeilingTokensPerSecond,
    assumptions,
  };
}

/** The longest context that fits for a given concurrency, from the same arithmetic. */
export function maxContextTokensThatFit(input: Omit<RooflineInput, 'contextTokens'>): number {
  const atOneToken = computeRoofline({ ...input, contextTokens: 1 });
  const spareForKv = atOneToken.memoryFit.usableBytes - atOneToken.memoryFit.weightBytes;
  if (spareForKv <= 0) return 0;
  // KV grows linearly with context until windows cap it, so search rather than divide.
  let low = 0;
  let high = 1;
  const fits = (tokens: number) => computeRoofline({ ...input, contextTokens: tokens }).memoryFit.fits;
  while (fits(high) && high < 2 ** 40) high *= 2;
  if (fits(high)) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function assertPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
}
