import { Counter, Histogram, type Registry } from 'prom-client';

export interface AtlasMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  retries: Counter<'method' | 'route' | 'reason'>;
  rateLimited: Counter<'method' | 'route'>;
}

export function createAtlasMetrics(registry: Registry): AtlasMetrics {
  return {
    requests: new Counter({
      name: 'atlas_metacontroller_atlas_requests_total',
      help: 'Atlas Admin API HTTP requests by method, route template and status (401 challenges included)',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'atlas_metacontroller_atlas_request_duration_seconds',
      help: 'Atlas Admin API call duration, retries and challenges included',
      labelNames: ['method', 'route'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'atlas_metacontroller_atlas_retries_total',
      help: 'Atlas calls retried, by reason',
      labelNames: ['method', 'route', 'reason'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'atlas_metacontroller_atlas_rate_limited_total',
      help: 'Atlas 429 answers',
      labelNames: ['method', 'route'],
      registers: [registry],
    }),
  };
}
