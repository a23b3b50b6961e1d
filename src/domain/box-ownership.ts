/**
 * A box is a machine a runner can run on: one you own, or a rented instance type (a p5.48xlarge).
 * Both are swept the same way; only an owned box is bought, amortized and powered by you, so only
 * it carries a purchase price, amortization and power draw. A rented box is priced per
 * instance-hour on the rented-instance paths that run on it.
 */
export const BOX_OWNERSHIPS = ['OWNED', 'RENTED'] as const;
export type BoxOwnership = (typeof BOX_OWNERSHIPS)[number];

export interface BoxCostFields {
  ownership: BoxOwnership;
  purchasePrice?: unknown;
  amortizationMonths?: unknown;
  powerActiveW?: unknown;
  powerIdleW?: unknown;
}

const OWNED_FIELDS = ['purchasePrice', 'amortizationMonths', 'powerActiveW', 'powerIdleW'] as const;
const present = (value: unknown) => value !== undefined && value !== null;

/** What is wrong with a box's cost fields for its ownership, field by field (empty when nothing). */
export function boxOwnershipIssues(box: BoxCostFields): { field: string; message: string }[] {
  if (box.ownership === 'OWNED')
    return OWNED_FIELDS.filter((field) => !present(box[field])).map((field) => ({
      field,
      message: `an owned box needs ${field} (what it costs or draws); for hardware you rent by the hour, set ownership: RENTED and price it per instance-hour on its path`,
    }));
  return (['purchasePrice', 'amortizationMonths'] as const)
    .filter((field) => present(box[field]))
    .map((field) => ({
      field,
      message: `a rented box has no ${field}: it is priced per instance-hour (INSTANCE_HOUR) on the rented-instance paths that run on it; remove ${field} or set ownership: OWNED`,
    }));
}

/**
 * Which boxes a path kind may run on: an owned-box path on an owned box (its cost is the box's
 * purchase and power), a rented-instance path on a rented one (its cost is the instance-hour).
 * Null when the pairing is fine (or the path names no box).
 */
export function pathBoxIssue(
  pathKind: string,
  box: { slug: string; ownership: BoxOwnership } | null,
): string | null {
  if (!box) return null;
  if (pathKind === 'OWNED_BOX' && box.ownership !== 'OWNED')
    return `an OWNED_BOX path needs an owned box, and ${box.slug} is rented: use kind RENTED_INSTANCE with an INSTANCE_HOUR price`;
  if (pathKind === 'RENTED_INSTANCE' && box.ownership !== 'RENTED')
    return `a RENTED_INSTANCE path runs on rented hardware, and ${box.slug} is owned: name a box with ownership RENTED (or use kind OWNED_BOX)`;
  if (pathKind !== 'OWNED_BOX' && pathKind !== 'RENTED_INSTANCE')
    return `only OWNED_BOX and RENTED_INSTANCE paths run on a box (a ${pathKind} path is served by the platform): remove box`;
  return null;
}
