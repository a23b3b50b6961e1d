import { accessPathFigures } from '../../domain/access';
import { toCsv } from '../../domain/csv';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Route } from '../server';
import { authorizeCatalogGet } from './authorize';

const HEADER = [
  'slug',
  'name',
  'accelerator_class',
  'vendor',
  'channel',
  'minimum_commitment_amount',
  'currency',
  'minimum_commitment_hours',
  'paid_up_front',
  'cancellable',
  'typical_lead_time_days',
  'quota_needed',
  'region',
  'attempts',
  'median_hours_to_answer',
  'worst_hours_to_answer',
  'worst_is_still_open',
  'success_rate',
  'hours_to_first_usable_capacity',
  'notes',
  'source',
];

const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** The CSV a spreadsheet needs, computed now from the stored attempt log. */
async function accessPathsCsv(
  prisma: PrismaClient,
  filter: { accelerator?: string | undefined; region?: string | undefined },
  now: Date,
): Promise<string> {
  const paths = await prisma.accessPath.findMany({
    where: {
      ...(filter.accelerator
        ? { acceleratorClass: { contains: filter.accelerator, mode: 'insensitive' } }
        : {}),
      ...(filter.region ? { region: filter.region } : {}),
    },
    include: { vendor: true, attempts: true },
    orderBy: [{ acceleratorClass: 'asc' }, { slug: 'asc' }],
  });
  return toCsv(
    HEADER,
    paths.map((path) => {
      const figures = accessPathFigures(path.attempts, now);
      return [
        path.slug,
        path.name,
        path.acceleratorClass,
        path.vendor.name,
        path.channel,
        // Exact decimal text: money never passes through a float on its way to the spreadsheet.
        path.minimumCommitmentAmount?.toString() ?? null,
        path.currency,
        path.minimumCommitmentHours,
        path.paidUpFront,
        path.cancellable,
        path.typicalLeadTimeDays,
        path.quotaNeeded,
        path.region,
        figures.attempts,
        round(figures.medianHoursToAnswer),
        round(figures.worstHoursToAnswer),
        figures.worstIsStillOpen,
        round(figures.successRate),
        round(figures.hoursToFirstUsableCapacity),
        path.notes,
        path.source,
      ];
    }),
  );
}

export function accessCsvRoute(prisma: PrismaClient, publicCatalog: boolean): Route {
  return async (request, response, url) => {
    if (url.pathname !== '/export/access-paths.csv') return false;
    if (!(await authorizeCatalogGet(prisma, request, response, publicCatalog))) return true;
    const csv = await accessPathsCsv(
      prisma,
      {
        accelerator: url.searchParams.get('accelerator') ?? undefined,
        region: url.searchParams.get('region') ?? undefined,
      },
      new Date(),
    );
    response
      .writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="access-paths.csv"',
      })
      .end(csv);
    return true;
  };
}
