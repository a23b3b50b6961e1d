import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type Decimal from 'decimal.js';
import { ForbiddenError } from '../../domain/errors';
import type PrismaTypes from '../../generated/pothos-types';
import { getDatamodel } from '../../generated/pothos-types';
import type { Context } from './context';

export const MAX_PAGE_SIZE = 100;

/** The error for a caller a rule refuses: the same words wherever the refusal happens. */
export function refusalFor(context: Pick<Context, 'identity'>): ForbiddenError {
  return new ForbiddenError(
    context.identity
      ? `Your token (role ${context.identity.role}) is not allowed to do this.`
      : 'This needs an API token: send "Authorization: Bearer <token>" (create one with `npx floorplan token create`).',
  );
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    Decimal: { Input: Decimal; Output: Decimal | { toString(): string } };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  AuthScopes: {
    /** Anyone, tokens or not: said explicitly, so the schema lint can tell "public" from "forgotten". */
    public: boolean;
    catalogReader: boolean;
    viewer: boolean;
    operator: boolean;
    admin: boolean;
    runner: boolean;
  };
}>({
  // scope-auth first, so no other plugin's wrapper runs before the check.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => {
      const role = context.identity?.role;
      const isViewer = role === 'VIEWER' || role === 'OPERATOR' || role === 'ADMIN';
      return {
        public: true,
        catalogReader: isViewer || context.publicCatalog,
        viewer: isViewer,
        operator: role === 'OPERATOR' || role === 'ADMIN',
        admin: role === 'ADMIN',
        runner: role === 'RUNNER',
      };
    },
    unauthorizedError: (_parent, context) => refusalFor(context),
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'test' ? 'error' : null,
    maxConnectionSize: MAX_PAGE_SIZE,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
});
