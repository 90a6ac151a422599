// The baseline for bench:hooks: a bare fastify server that answers a POST with its body,
// nothing else. Run by bench/hooks.mjs as its own process.
import Fastify from 'fastify';

const app = Fastify({ bodyLimit: 8 * 1024 * 1024 });
app.post('/echo', async (request) => request.body);
app.get('/healthz', async () => ({ status: 'ok' }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url }));
