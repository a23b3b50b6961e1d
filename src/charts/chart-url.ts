import type { z } from 'zod';
import { renderCostChart } from './costChart';
import { renderFrontierChart } from './frontierChart';
import { renderHistoryChart } from './historyChart';
import { renderPriceHistoryChart } from './priceHistoryChart';
import {
  type ChartDataLoaders,
  type ChartRequest,
  costChartQuerySchema,
  frontierChartQuerySchema,
  historyChartQuerySchema,
  priceHistoryChartQuerySchema,
} from './requests';
import { type ChartImage, chartRenderOptionsSchema, describeIssues } from './schemas';

/**
 * URL parsing for `/charts/cost.svg|png?...` and `/charts/history.svg|png?...`. The API mounts the
 * routes and supplies the loaders; this module only turns a URL into a validated request and a
 * request into an image.
 *
 * Cost:    workloadId (required), volumeUnit, minVolume, maxVolume, costAxis, width, height
 * History: box, model, profile, metric (required), since, limit, width, height
 * Price history: component (a price component slug), width, height
 * Frontier: workloadId (required), width, height
 */

export type ParsedChartUrl =
  | { ok: true; request: ChartRequest }
  | { ok: false; status: 400 | 404; message: string };

const CHART_PATH = /^\/charts\/(cost|history|price-history|frontier)\.(svg|png)$/;

export function parseChartUrl(pathname: string, searchParams: URLSearchParams): ParsedChartUrl {
  const match = CHART_PATH.exec(pathname);
  if (!match) {
    return {
      ok: false,
      status: 404,
      message: `no chart at ${pathname}; try /charts/cost.svg, /charts/frontier.svg, /charts/history.svg or /charts/price-history.svg (or .png)`,
    };
  }
  const [, chart, format] = match;
  const params = Object.fromEntries(searchParams);
  const { width, height, ...queryParams } = params;

  const options = chartRenderOptionsSchema.safeParse({ format, width, height });
  if (!options.success) return badRequest(options.error);

  if (chart === 'cost') {
    const query = costChartQuerySchema.safeParse(queryParams);
    if (!query.success) return badRequest(query.error);
    return { ok: true, request: { chart: 'cost', options: options.data, query: query.data } };
  }
  if (chart === 'frontier') {
    const query = frontierChartQuerySchema.safeParse(queryParams);
    if (!query.success) return badRequest(query.error);
    return { ok: true, request: { chart: 'frontier', options: options.data, query: query.data } };
  }
  if (chart === 'price-history') {
    const query = priceHistoryChartQuerySchema.safeParse(queryParams);
    if (!query.success) return badRequest(query.error);
    return { ok: true, request: { chart: 'price-history', options: options.data, query: query.data } };
  }
  const query = historyChartQuerySchema.safeParse(queryParams);
  if (!query.success) return badRequest(query.error);
  return { ok: true, request: { chart: 'history', options: options.data, query: query.data } };
}

function badRequest(error: z.ZodError): ParsedChartUrl {
  return { ok: false, status: 400, message: describeIssues(error) };
}

/** Loads the data a request names and renders it. Loader errors propagate to the caller. */
export async function renderChartRequest(
  request: ChartRequest,
  loaders: ChartDataLoaders,
): Promise<ChartImage> {
  if (request.chart === 'cost') {
    const input = await loaders.loadCostChartInput(request.query);
    // The loader supplies the data; the axis scale is presentation, so the caller's choice wins.
    const withAxis = request.query.costAxis ? { ...input, costAxis: request.query.costAxis } : input;
    return renderCostChart(withAxis, request.options);
  }
  if (request.chart === 'frontier')
    return renderFrontierChart(await loaders.loadFrontierChartInput(request.query), request.options);
  if (request.chart === 'price-history')
    return renderPriceHistoryChart(await loaders.loadPriceHistoryChartInput(request.query), request.options);
  return renderHistoryChart(await loaders.loadHistoryChartInput(request.query), request.options);
}

/**
 * A fetch-style handler (what graphql-yoga and most Node routers accept): 404 for unknown chart
 * paths, 400 with a plain-text reason for bad parameters, otherwise the image.
 */
export async function handleChartRequest(request: Request, loaders: ChartDataLoaders): Promise<Response> {
  const url = new URL(request.url);
  const parsed = parseChartUrl(url.pathname, url.searchParams);
  if (!parsed.ok) {
    return new Response(`${parsed.message}\n`, {
      status: parsed.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const image = await renderChartRequest(parsed.request, loaders);
  return new Response(typeof image.body === 'string' ? image.body : new Uint8Array(image.body), {
    status: 200,
    headers: { 'content-type': image.contentType, 'cache-control': 'no-store' },
  });
}
