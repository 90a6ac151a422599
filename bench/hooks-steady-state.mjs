// Steady-state cost of the hook server: N AtlasProjects brought to Ready, then synced again
// and again as Metacontroller's resync does. Prints syncs/s, Atlas requests per sync (the
// read cache on and off) and the hook server's memory. The simulator runs in its own process.
// Run: npm run bench:hooks
import { request } from 'undici';
import { allKinds } from '../dist/kinds.js';
import { createLogger } from '../dist/server/logging.js';
import { parseServeOptions, startHookServer } from '../dist/server/serve.js';
import { DEMO_ORG } from '../dist/sim/server.js';
import { percentile, startSimProcess } from './sim-process.mjs';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 5; // Metacontroller's default --workers

const b64 = (s) => Buffer.from(s).toString('base64');
const keys = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'keys', namespace: 'bench' },
  data: { orgId: b64(DEMO_ORG.id), publicApiKey: b64(DEMO_ORG.publicKey), privateApiKey: b64(DEMO_ORG.privateKey) },
};
const related = { 'Secret.v1': { 'bench/keys': keys } };

async function run(sim, cacheMs) {
  const hooks = await startHookServer(
    parseServeOptions(['--port', '0', '--host', '127.0.0.1', '--atlas-domain', sim.url, '--atlas-read-cache', `${cacheMs}ms`], {}),
    allKinds(),
    createLogger('silent'),
  );
  const parents = Array.from({ length: PROJECTS }, (_, i) => ({
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: `p${i}`, namespace: 'bench', uid: `u${i}`, generation: 1 },
    spec: { name: `bench-${cacheMs}-${i}`, connectionSecretRef: { name: 'keys' }, projectIpAccessList: [{ ipAddress: `10.0.${i >> 8}.${i & 255}` }] },
  }));
  const sync = async (parent) => {
    const res = await request(`${hooks.url}/hooks/atlasproject/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ controller: {}, parent, related, children: {} }),
    });
    parent.status = (await res.body.json()).status;
  };
  const pool = async (items, fn) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < items.length) await fn(items[next++]); }));
  };
  for (let i = 0; i < 3; i++) await pool(parents, sync); // create, then settle (provisioning is 0)
  const ready = parents.filter((p) => p.status.conditions[0].status === 'True').length;
  await request(`${sim.url}/__sim/requests`, { method: 'DELETE' }).then((r) => r.body.dump());
  const latencies = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await pool(parents, async (p) => {
      const t0 = performance.now();
      await sync(p);
      latencies.push(performance.now() - t0);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = await (await request(`${sim.url}/__sim/requests`)).body.json();
  const atlasRequests = Object.values(counts).reduce((n, c) => n + c.requests, 0);
  const writes = Object.entries(counts).filter(([k]) => !k.startsWith('GET ')).reduce((n, [, c]) => n + c.requests, 0);
  const rss = process.memoryUsage().rss;
  await hooks.shutdown();
  latencies.sort((a, b) => a - b);
  return { ready, syncs: latencies.length, perSecond: Math.round(latencies.length / seconds), p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSync: atlasRequests / latencies.length, writes, rss };
}

const sim = await startSimProcess(['--provision-seconds', '0']);
try {
  console.log(`hook server, steady state: ${PROJECTS} Ready AtlasProjects (1 access-list entry each), ${ROUNDS} resync rounds, ${CONCURRENCY} concurrent (Metacontroller's default workers)`);
  for (const cacheMs of [2000, 0]) {
    const r = await run(sim, cacheMs);
    console.log(
      `  read cache ${cacheMs ? `${cacheMs} ms` : 'off'}: ${r.ready}/${PROJECTS} Ready; ${r.syncs} syncs, ${r.perSecond} syncs/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; ` +
        `${r.perSync.toFixed(2)} Atlas requests per sync, ${r.writes} writes; process RSS ${(r.rss / 1048576).toFixed(0)} MiB`,
    );
  }
} finally {
  await sim.stop();
}
