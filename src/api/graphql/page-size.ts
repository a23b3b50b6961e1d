import { GraphQLError } from 'graphql';
import { MAX_PAGE_SIZE } from './builder';

/** Page sizes are capped, and an over-cap request is refused rather than silently shortened. */
class PageSizeError extends GraphQLError {
  constructor(requested: number, max: number) {
    super(
      `Page size ${requested} is over the limit of ${max}: ask for first: ${max} or fewer and page with "after".`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
}

function assertPageSize(requested: number | null | undefined, max: number): void {
  if (requested != null && requested > max) throw new PageSizeError(requested, max);
  if (requested != null && requested < 0) {
    throw new GraphQLError(`Page size must be zero or more, got ${requested}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
}

/**
 * The `maxSize` of every connection: Pothos would silently shorten an over-cap page, so the cap is
 * checked (and refused) here first.
 */
export function cappedPageSize(args: { first?: number | null; last?: number | null }): number {
  assertPageSize(args.first ?? args.last, MAX_PAGE_SIZE);
  return MAX_PAGE_SIZE;
}
