import type { Identity } from '../../../app/auth/identity';
import { builder } from '../builder';
import { RoleEnum } from './enums';

const ViewerRef = builder.objectRef<Identity>('Viewer').implement({
  authScopes: { public: true },
  description: 'Who the API thinks you are.',
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (identity) => identity.role }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    nullable: true,
    authScopes: { public: true },
    description: 'The caller, or null when no token was sent.',
    resolve: (_root, _args, { identity }) => identity,
  }),
}));
