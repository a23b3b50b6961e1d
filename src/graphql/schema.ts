import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import './scalars';
import './types/enums';
import './types/catalog';
import './types/paths';
import './types/evidence';
import './types/access';
import './types/runs';
import './types/viewer';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = lexicographicSortSchema(builder.toSchema());
