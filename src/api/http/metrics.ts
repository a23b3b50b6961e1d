import type { ApiMetrics } from '../metrics';
import type { Route } from '../server';

/** `GET /metrics`: Prometheus's text exposition format. */
export function metricsRoute(metrics: ApiMetrics): Route {
  return async (request, response, url) => {
    if (url.pathname !== '/metrics') return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('Use GET /metrics.\n');
      return true;
    }
    const body = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
