import { toCsv } from '../../domain/csv';
import { valueAt } from '../../domain/price-history';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Route } from '../server';
import { authorizeCatalogGet } from './authorize';
import { sendBadRequest } from './errors';

const HEADER = [
  'component',
  'path',
  'kind',
  'unit',
  'region',
  'amount',
  'currency',
  'effective_from',
  'confidence',
  'source',
  'source_url',
  'note',
  'recorded_by',
  'recorded_at',
  'in_effect_now',
];

/** Every dated value of every price (or of the components asked for), oldest first per component. */
async function priceHistoryCsv(
  prisma: PrismaClient,
  filter: { components?: string[] | undefined; path?: string | undefined },
  now: Date,
): Promise<string> {
  const components = await prisma.priceComponent.findMany({
    where: {
      ...(filter.components ? { slug: { in: filter.components } } : {}),
      ...(filter.path ? { path: { slug: filter.path } } : {}),
    },
    include: {
      path: true,
      values: { orderBy: [{ effectiveFrom: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }] },
    },
    orderBy: { slug: 'asc' },
  });
  const rows = components.flatMap((component) => {
    const current = valueAt(component.values, now);
    return component.values.map((value) => [
      component.slug,
      component.path.slug,
      component.kind,
      component.unit,
      component.region,
      // Exact decimal text: money never passes through a float on its way to the spreadsheet.
      value.amount.toFixed(),
      value.currency,
      value.effectiveFrom.toISOString().slice(0, 10),
      value.confidence,
      value.source,
      value.sourceUrl,
      value.note,
      value.recordedBy,
      value.recordedAt.toISOString(),
      value.id === current?.id,
    ]);
  });
  return toCsv(HEADER, rows);
}

/** `GET /export/price-history.csv[?component=a,b][&path=slug]` */
export function priceHistoryCsvRoute(prisma: PrismaClient, publicCatalog: boolean): Route {
  return async (request, response, url) => {
    if (url.pathname !== '/export/price-history.csv') return false;
    if (!(await authorizeCatalogGet(prisma, request, response, publicCatalog))) return true;
    const components = url.searchParams.get('component')?.split(',').filter(Boolean);
    const path = url.searchParams.get('path') ?? undefined;
    if (components?.length) {
      const known = await prisma.priceComponent.findMany({
        where: { slug: { in: components } },
        select: { slug: true },
      });
      const missing = components.filter((slug) => !known.some((row) => row.slug === slug));
      if (missing.length) {
        sendBadRequest(
          response,
          `Unknown price component ${missing.map((slug) => `"${slug}"`).join(', ')}; list them with { servingPaths { priceComponents { slug } } }.`,
        );
        return true;
      }
    }
    const csv = await priceHistoryCsv(prisma, { components, path }, new Date());
    response
      .writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="price-history.csv"',
      })
      .end(csv);
    return true;
  };
}
