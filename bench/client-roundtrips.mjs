// HTTP round trips and calls per second per Atlas API call: our Digest client (nonce reuse)
// against the challenge-per-request pattern of the Go digest transport the official operator
// uses, A/B alternated over several rounds against the simulator with injected latency (as
// Atlas is tens of milliseconds away); and the client's own overhead per call at p50 over
// raw undici, without latency. Run: npm run bench:client
import { Pool, request } from 'undici';
import { AtlasClient } from '../dist/atlas/client.js';
import { digestAuthorization, parseChallenge } from '../dist/atlas/digest.js';
import { AtlasHttp } from '../dist/atlas/http.js';
import { projectReads, projectRequests } from '../dist/kinds/atlasproject/atlas.js';
import { DEMO_ORG } from '../dist/sim/server.js';
import { percentile, startSimProcess } from './sim-process.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const CONCURRENCY = 8;
const credentials = { kind: 'apiKey', orgId: DEMO_ORG.id, publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey };

const sim = await startSimProcess(['--provision-seconds', '0']);
const ROUTE = 'GET /api/atlas/v2/groups/:groupId';
const counts = async () => (await (await request(`${sim.url}/__sim/requests`)).body.json())[ROUTE] ?? { requests: 0, authenticated: 0 };
const clearCounts = async () => (await request(`${sim.url}/__sim/requests`, { method: 'DELETE' })).body.dump();
const latency = async (ms) => {
  await (await request(`${sim.url}/__sim/faults`, { method: 'DELETE' })).body.dump();
  if (ms > 0) {
    const body = JSON.stringify({ route: '*', kind: 'latency', latencyMs: ms, count: 1_000_000 });
    await (await request(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).body.dump();
  }
};

// One project per worker: identical concurrent reads would be coalesced into one request.
const setupHttp = new AtlasHttp({ baseUrl: sim.url });
const setup = new AtlasClient(setupHttp, { credentials });
const ids = [];
for (let i = 0; i < CONCURRENCY; i++) {
  const name = `bench-${i}`;
  ids.push(((await projectReads.getByName(setup, name)) ?? (await setup.send(projectRequests.create({ name, orgId: DEMO_ORG.id })))).id);
}

async function run(digestMode) {
  // The read cache is off: every call must reach Atlas for the count to mean anything. A
  // fresh client per round, so each pays its first challenge as a restarted operator would.
  const http = new AtlasHttp({ baseUrl: sim.url, digestMode });
  const atlas = new AtlasClient(http, { credentials });
  await clearCounts();
  let done = 0;
  const started = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      while (done < CALLS) {
        done++;
        await projectReads.get(atlas, id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { requests, authenticated } = await counts();
  await http.close();
  return { requests, authenticated, seconds };
}

async function overhead(id) {
  // Sequential calls without latency: our client against raw undici with precomputed Digest headers.
  const N = 3_000;
  const http = new AtlasHttp({ baseUrl: sim.url });
  const atlas = new AtlasClient(http, { credentials });
  const ours = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await projectReads.get(atlas, id);
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

const sum = (runs, key) => runs.reduce((total, r) => total + r[key], 0);
try {
  await latency(LATENCY_MS);
  const reuse = [];
  const perRequest = [];
  // Alternated, so drift in the machine's load falls on both alike.
  for (let round = 0; round < ROUNDS; round++) {
    reuse.push(await run('reuse-nonce'));
    perRequest.push(await run('challenge-per-request'));
  }
  await latency(0);
  console.log(`Atlas client: GET /api/atlas/v2/groups/{id}, ${CONCURRENCY} concurrent, ${LATENCY_MS} ms injected latency, ${ROUNDS} alternated rounds of ${CALLS} calls per mode`);
  for (const [name, runs] of [['atlas-metacontroller (nonce reuse)  ', reuse], ['challenge per request (official, Go)', perRequest]]) {
    const requests = sum(runs, 'requests');
    const calls = sum(runs, 'authenticated');
    console.log(`  ${name}: ${requests} HTTP requests for ${calls} calls = ${(requests / calls).toFixed(3)} round trips per call, ${Math.round(calls / sum(runs, 'seconds'))} calls/s`);
  }
  const { ours, raw } = await overhead(ids[0]);
  console.log(`  sequential call p50, no latency: client ${ours.toFixed(3)} ms, raw undici with precomputed Digest ${raw.toFixed(3)} ms → client overhead ${(ours - raw).toFixed(3)} ms per call`);
} finally {
  await setupHttp.close();
  await sim.stop();
}
