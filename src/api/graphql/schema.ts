import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import { guardInputs } from './input-guard';
import './scalars';
import './types/enums';
import './types/catalog';
import './types/catalog-changes';
import './types/paths';
import './types/evidence';
import './types/roofline';
import './types/access';
import './types/runs';
import './types/sweeps';
import './types/viewer';
import './types/decision';
import './types/frontier';
import './types/prices';
import './types/watch';
import './types/stale';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = guardInputs(lexicographicSortSchema(builder.toSchema()));
