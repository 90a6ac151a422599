/**
 * Liveness and readiness. `startDraining` (decorated) fails readiness from then on and has
 * every answer close its connection, so the Service moves new calls elsewhere and
 * close() is not held by a keep-alive socket freed after it began.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    startDraining(): void;
  }
}

async function health(app: FastifyInstance): Promise<void> {
  let draining = false;
  app.decorate('startDraining', () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (draining ? reply.code(503).send({ status: 'shutting down' }) : { status: 'ready' }));
}

export const healthPlugin = fp(health, { name: 'atlas-metacontroller-health', fastify: '5.x' });
