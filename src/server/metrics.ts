/**
 * Prometheus metrics, one registry per server so that several servers (tests, the demo)
 * can run in one process without clashing.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HookMetrics {
  registry: Registry;
  hookCalls: Counter<'kind' | 'hook' | 'outcome'>;
  hookDuration: Histogram<'kind' | 'hook'>;
}

export function createHookMetrics(): HookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    hookCalls: new Counter({
      name: 'atlas_metacontroller_hook_calls_total',
      help: 'Hook calls by kind, hook and outcome',
      labelNames: ['kind', 'hook', 'outcome'],
      registers: [registry],
    }),
    hookDuration: new Histogram({
      name: 'atlas_metacontroller_hook_duration_seconds',
      help: 'Time to answer a hook call',
      labelNames: ['kind', 'hook'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
