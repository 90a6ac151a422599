// The transport floor for bench:hooks: a bare fastify echo that also makes the one Atlas
// read a steady-state sync needs, as one undici GET to the simulator over keep-alive (its
// answer, a 401 challenge, is read and dropped; no authentication, no decisions). Each such
// challenge is a nonce the simulator holds; it holds a bounded number, or the floor would
// slow as a run goes on. What a hook server costs beyond this is our own work.
// Run by bench/hooks.mjs as its own process: node floor-server.mjs <atlas url>
import Fastify from 'fastify';
import { Pool } from 'undici';

const atlas = new Pool(process.argv[2], { connections: 64 });
const app = Fastify({ bodyLimit: 8 * 1024 * 1024 });
app.post('/echo', async (request) => {
  const res = await atlas.request({ path: '/api/atlas/v2/groups/000000000000000000000000/accessList', method: 'GET', headers: { accept: 'application/vnd.atlas.2023-01-01+json' } });
  await res.body.text();
  return request.body;
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url }));
