// The transport floor for bench:hooks: a bare fastify echo that also makes the one Atlas
// read a steady-state sync needs, as one undici GET to the simulator over keep-alive (its
// answer, a 401 challenge, is read and dropped; no authentication, no decisions; each such
// GET makes the simulator issue a nonce, and it holds a bounded number, so the floor does not
// slow as a run goes on, as it did before c589c6c). What a hook server costs
// beyond this is our own work. Run by bench/hooks.mjs as its own process: node floor-server.mjs <atlas url>
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
