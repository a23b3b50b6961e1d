import { GraphQLError } from 'graphql';

/** Page sizes are capped, and an over-cap request is refused rather than silently shortened. */
export class PageSizeError extends GraphQLError {
  constructor(requested: number, max: number) {
    super(
      `Page size ${requested} is over the limit of ${max}: ask for first: ${max} or fewer and page with "after".`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
}

export function assertPageSize(requested: number | null | undefined, max: number): void {
  if (requested != null && requested > max) throw new PageSizeError(requested, max);
  if (requested != null && requested < 0) {
    throw new GraphQLError(`Page size must be zero or more, got ${requested}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
}
