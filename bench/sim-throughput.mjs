// How many authenticated GETs per second the simulator serves on one core, over keep-alive,
// with Digest nonce reuse (each request carries a fresh nc, as our client sends them).
// Run: npm run bench:sim
import { Pool } from 'undici';
import { digestAuthorization, parseChallenge } from '../dist/atlas/digest.js';
import { DEMO_ORG } from '../dist/sim/server.js';
import { percentile, startSimProcess } from './sim-process.mjs';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 30_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const sim = await startSimProcess(['--provision-seconds', '0']);
const pool = new Pool(sim.url, { connections: 16 });
const accept = 'application/vnd.atlas.2023-01-01+json';
try {
  const probe = await pool.request({ path: '/api/atlas/v2/groups', method: 'GET', headers: { accept } });
  await probe.body.dump();
  const challenge = parseChallenge(probe.headers['www-authenticate']);
  let nc = 0;
  const auth = (method, uri) =>
    digestAuthorization({ username: DEMO_ORG.publicKey, password: DEMO_ORG.privateKey, method, uri, challenge, nc: ++nc });
  const created = await pool.request({
    path: '/api/atlas/v2/groups',
    method: 'POST',
    headers: { accept, 'content-type': accept, authorization: auth('POST', '/api/atlas/v2/groups') },
    body: JSON.stringify({ name: 'bench', orgId: DEMO_ORG.id }),
  });
  const { id } = await created.body.json();
  const path = `/api/atlas/v2/groups/${id}`;

  const latencies = [];
  let failures = 0;
  let sent = 0;
  const worker = async () => {
    while (sent < TOTAL) {
      sent++;
      const started = performance.now();
      const res = await pool.request({ path, method: 'GET', headers: { accept, authorization: auth('GET', path) } });
      await res.body.dump();
      if (res.statusCode !== 200) failures++;
      latencies.push(performance.now() - started);
    }
  };
  for (let i = 0; i < 500; i++) {
    const res = await pool.request({ path, method: 'GET', headers: { accept, authorization: auth('GET', path) } });
    await res.body.dump();
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`simulator: ${TOTAL} authenticated GET /api/atlas/v2/groups/{id} over keep-alive, ${CONCURRENCY} in flight`);
  console.log(`  throughput: ${Math.round(TOTAL / seconds)} requests/s (one simulator process)`);
  console.log(`  latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; non-200 answers: ${failures}`);
} finally {
  await pool.close();
  await sim.stop();
}
