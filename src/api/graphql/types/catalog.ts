import { NotFoundError } from '../../../domain/errors';
import { builder } from '../builder';
import { MoneyRef } from '../scalars';
import { BoxOwnershipEnum, ConfidenceEnum, FeasibilityStatusEnum, FineTuneMethodEnum } from './enums';

builder.prismaObject('Vendor', {
  authScopes: { catalogReader: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    assessments: t.relation('assessments'),
  }),
});

builder.prismaObject('Box', {
  authScopes: { catalogReader: true },
  description:
    'A machine a runner can run on and an SLO sweep can measure: one you own (memory, bandwidth, power draw, purchase price) or a rented instance type (ownership RENTED: no purchase price, amortization or power; priced per instance-hour on the RENTED_INSTANCE paths that run on it).',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    vendor: t.relation('vendor'),
    acceleratorClass: t.exposeString('acceleratorClass'),
    ownership: t.expose('ownership', { type: BoxOwnershipEnum }),
    memoryGiB: t.expose('memoryGiB', { type: 'Decimal' }),
    memoryBandwidthGBs: t.expose('memoryBandwidthGBs', { type: 'Decimal' }),
    powerActiveW: t.expose('powerActiveW', {
      type: 'Decimal',
      nullable: true,
      description: 'Watts while serving; null for a rented box (the instance-hour includes power).',
    }),
    powerIdleW: t.expose('powerIdleW', {
      type: 'Decimal',
      nullable: true,
      description: 'Watts idle; null for a rented box.',
    }),
    purchasePrice: t.field({
      type: MoneyRef,
      nullable: true,
      description:
        'What an owned box costs to buy; null for a rented box, priced per instance-hour on its paths.',
      select: { purchasePrice: true, currency: true },
      resolve: (box) =>
        box.purchasePrice === null ? null : { amount: box.purchasePrice, currency: box.currency },
    }),
    amortizationMonths: t.exposeInt('amortizationMonths', { nullable: true }),
    source: t.exposeString('source'),
    asOf: t.expose('asOf', { type: 'DateTime' }),
    confidence: t.expose('confidence', { type: ConfidenceEnum }),
  }),
});

builder.prismaObject('Model', {
  authScopes: { catalogReader: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    family: t.exposeString('family'),
    architecture: t.exposeString('architecture'),
    totalParamsB: t.expose('totalParamsB', { type: 'Decimal', description: 'Total parameters, billions.' }),
    activeParamsB: t.expose('activeParamsB', {
      type: 'Decimal',
      description:
        'Parameters read per token, billions: what bounds single-stream decode on bandwidth-bound hardware.',
    }),
    isMoe: t.exposeBoolean('isMoe'),
    contextLength: t.exposeInt('contextLength'),
    variants: t.relation('variants'),
    fineTuneFeasibility: t.relation('feasibility'),
  }),
});

builder.prismaObject('ModelVariant', {
  authScopes: { catalogReader: true },
  description: 'A servable form of a model: the base weights or a fine-tune, with where its weights live.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    model: t.relation('model'),
    isFineTuned: t.exposeBoolean('isFineTuned'),
    method: t.expose('method', { type: FineTuneMethodEnum }),
    trainingMinutes: t.exposeInt('trainingMinutes', { nullable: true }),
    trainedWhere: t.exposeString('trainedWhere', { nullable: true }),
    weightsLocation: t.exposeString('weightsLocation'),
    weightsExportable: t.exposeBoolean('weightsExportable'),
    quantization: t.exposeString('quantization', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    evaluations: t.relation('evaluations'),
  }),
});

builder.prismaObject('FineTuneFeasibility', {
  authScopes: { catalogReader: true },
  description: 'Whether a model can be served and trained on a given software stack, and what blocked it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    model: t.relation('model'),
    stack: t.exposeString('stack'),
    servable: t.exposeBoolean('servable'),
    trainable: t.expose('trainable', { type: FeasibilityStatusEnum }),
    blockers: t.exposeStringList('blockers'),
    source: t.exposeString('source'),
    observedAt: t.expose('observedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('VendorAssessment', {
  authScopes: { catalogReader: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    vendor: t.relation('vendor'),
    layer: t.exposeString('layer'),
    grade: t.exposeString('grade'),
    assessedAt: t.expose('assessedAt', { type: 'DateTime' }),
    source: t.exposeString('source'),
  }),
});

builder.prismaObject('LabFinding', {
  authScopes: { catalogReader: true },
  description:
    'A finding of the lab report in words, with the slugs or fingerprints of the rows it rests on.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    statement: t.exposeString('statement'),
    evidence: t.exposeStringList('evidence'),
    source: t.exposeString('source'),
  }),
});

builder.queryFields((t) => ({
  boxes: t.prismaField({
    type: ['Box'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) => prisma.box.findMany({ ...query, orderBy: { slug: 'asc' } }),
  }),
  box: t.prismaField({
    type: 'Box',
    authScopes: { catalogReader: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (query, _root, { slug }, { prisma }) =>
      (await prisma.box.findUnique({ ...query, where: { slug } })) ??
      Promise.reject(new NotFoundError('box', slug, 'List them with { boxes { slug } }.')),
  }),
  models: t.prismaField({
    type: ['Model'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) =>
      prisma.model.findMany({ ...query, orderBy: { slug: 'asc' } }),
  }),
  modelVariants: t.prismaField({
    type: ['ModelVariant'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) =>
      prisma.modelVariant.findMany({ ...query, orderBy: { slug: 'asc' } }),
  }),
  modelVariant: t.prismaField({
    type: 'ModelVariant',
    authScopes: { catalogReader: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (query, _root, { slug }, { prisma }) =>
      (await prisma.modelVariant.findUnique({ ...query, where: { slug } })) ??
      Promise.reject(new NotFoundError('model variant', slug, 'List them with { modelVariants { slug } }.')),
  }),
  fineTuneFeasibility: t.prismaField({
    type: ['FineTuneFeasibility'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) =>
      prisma.fineTuneFeasibility.findMany({ ...query, orderBy: { slug: 'asc' } }),
  }),
  vendorAssessments: t.prismaField({
    type: ['VendorAssessment'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) =>
      prisma.vendorAssessment.findMany({ ...query, orderBy: [{ assessedAt: 'desc' }, { slug: 'asc' }] }),
  }),
  labFindings: t.prismaField({
    type: ['LabFinding'],
    authScopes: { catalogReader: true },
    resolve: (query, _root, _args, { prisma }) =>
      prisma.labFinding.findMany({ ...query, orderBy: { slug: 'asc' } }),
  }),
}));
