/** A volume range in requests per month; costs are compared along the workload's own shape. */
export interface VolumeRange {
  minRequestsPerMonth: number;
  maxRequestsPerMonth: number;
}

export const DEFAULT_VOLUME_RANGE: VolumeRange = { minRequestsPerMonth: 1, maxRequestsPerMonth: 1e9 };

/** `count` volumes evenly spaced in log scale, ends included. */
export function logVolumeGrid(range: VolumeRange, count: number): number[] {
  const low = Math.log(range.minRequestsPerMonth);
  const high = Math.log(range.maxRequestsPerMonth);
  if (count <= 1) return [range.minRequestsPerMonth];
  const step = (high - low) / (count - 1);
  return Array.from({ length: count }, (_, index) =>
    index === count - 1 ? range.maxRequestsPerMonth : Math.exp(low + step * index),
  );
}
