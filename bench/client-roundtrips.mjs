// HTTP round trips per Atlas API call, our Digest client (nonce reuse) against the
// challenge-per-request pattern of the Go digest transport the official operator uses,
// in one run against the simulator; and the client's own overhead per call at p50.
// Run: npm run bench:client
import { Pool, request } from 'undici';
import { AtlasClient } from '../dist/atlas/client.js';
import { digestAuthorization, parseChallenge } from '../dist/atlas/digest.js';
import { AtlasHttp } from '../dist/atlas/http.js';
import { DEMO_ORG } from '../dist/sim/server.js';
import { percentile, startSimProcess } from './sim-process.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const CONCURRENCY = 8;
const credentials = { kind: 'apiKey', orgId: DEMO_ORG.id, publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey };

const sim = await startSimProcess(['--provision-seconds', '0']);
const counts = async () => (await (await request(`${sim.url}/__sim/requests`)).body.json())['GET /api/atlas/v2/groups/:groupId'] ?? { requests: 0, authenticated: 0 };
const clearCounts = async () => (await request(`${sim.url}/__sim/requests`, { method: 'DELETE' })).body.dump();

async function run(digestMode) {
  // The read cache is off: every call must reach Atlas for the count to mean anything.
  const http = new AtlasHttp({ baseUrl: sim.url, digestMode, readCacheMs: 0 });
  const atlas = new AtlasClient(http, { credentials });
  // One project per worker: identical concurrent reads would be coalesced into one request.
  const ids = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const name = `bench-${i}`;
    ids.push((await atlas.projects.getByName(name).then((p) => p ?? atlas.projects.create({ name, orgId: DEMO_ORG.id }))).id);
  }
  const id = ids[0];
  await clearCounts();
  let done = 0;
  const started = performance.now();
  await Promise.all(
    ids.map(async (workerId) => {
      while (done < CALLS) {
        done++;
        await atlas.projects.get(workerId);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { requests, authenticated } = await counts();
  await http.close();
  return { id, requests, authenticated, callsPerSecond: Math.round(authenticated / seconds) };
}

async function latencies(id) {
  // Sequential calls: our client against raw undici with precomputed Digest headers.
  const N = 3_000;
  const http = new AtlasHttp({ baseUrl: sim.url, readCacheMs: 0 });
  const atlas = new AtlasClient(http, { credentials });
  const ours = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await atlas.projects.get(id);
    ours.push(performance.now() - t0);
  }
  await http.close();
  const pool = new Pool(sim.url, { connections: 1 });
  const path = `/api/atlas/v2/groups/${id}`;
  const accept = 'application/vnd.atlas.2023-01-01+json';
  const probe = await pool.request({ path, method: 'GET', headers: { accept } });
  await probe.body.dump();
  const challenge = parseChallenge(probe.headers['www-authenticate']);
  const headers = Array.from({ length: N }, (_, i) =>
    digestAuthorization({ username: DEMO_ORG.publicKey, password: DEMO_ORG.privateKey, method: 'GET', uri: path, challenge, nc: i + 1 }),
  );
  const raw = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const res = await pool.request({ path, method: 'GET', headers: { accept, authorization: headers[i] } });
    await res.body.json();
    raw.push(performance.now() - t0);
  }
  await pool.close();
  ours.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  return { ours: percentile(ours, 50), raw: percentile(raw, 50) };
}

try {
  const reuse = await run('reuse-nonce');
  const perRequest = await run('challenge-per-request');
  console.log(`Atlas client: ${CALLS} GET /api/atlas/v2/groups/{id} calls each, ${CONCURRENCY} concurrent, against the simulator`);
  console.log(`  atlas-metacontroller (nonce reuse):     ${reuse.requests} HTTP requests for ${reuse.authenticated} calls = ${(reuse.requests / reuse.authenticated).toFixed(3)} round trips per call, ${reuse.callsPerSecond} calls/s`);
  console.log(`  challenge per request (official, Go):   ${perRequest.requests} HTTP requests for ${perRequest.authenticated} calls = ${(perRequest.requests / perRequest.authenticated).toFixed(3)} round trips per call, ${perRequest.callsPerSecond} calls/s`);
  const { ours, raw } = await latencies(reuse.id);
  console.log(`  sequential call p50: client ${ours.toFixed(3)} ms, raw undici with precomputed Digest ${raw.toFixed(3)} ms → client overhead ${(ours - raw).toFixed(3)} ms per call`);
} finally {
  await sim.stop();
}
