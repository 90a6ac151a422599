/** GET /metrics: Prometheus text from the server's own registry (no token: it holds no secret). */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { HookMetrics } from '../metrics.js';

async function metricsRoute(app: FastifyInstance, options: { metrics: HookMetrics }): Promise<void> {
  if (!options.metrics?.registry) throw new Error('metrics plugin: a HookMetrics registry is required');
  app.get('/metrics', async (_request, reply) => reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));
}

export const metricsPlugin = fp(metricsRoute, { name: 'atlas-metacontroller-metrics', fastify: '5.x' });
