// Sync time against the number of observed conditions (1k, 10k, 100k): one Ready
// AtlasProject whose status also carries N conditions of types it does not own, as a broken
// or hostile object could. Prints ms per sync and ms per 1,000 conditions; linear handling
// keeps the second figure flat. The simulator runs in its own process.
// Run: npm run bench:conditions
import { request } from 'undici';
import { allKinds } from '../dist/kinds/index.js';
import { createLogger } from '../dist/logging.js';
import { parseServeOptions, startHookServer } from '../dist/server/serve.js';
import { DEMO_ORG } from '../dist/sim/server.js';
import { percentile, startSimProcess } from './sim-process.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const b64 = (s) => Buffer.from(s).toString('base64');
const keys = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'keys', namespace: 'bench' },
  data: { orgId: b64(DEMO_ORG.id), publicApiKey: b64(DEMO_ORG.publicKey), privateApiKey: b64(DEMO_ORG.privateKey) },
};
const related = { 'Secret.v1': { 'bench/keys': keys } };

const sim = await startSimProcess(['--provision-seconds', '0']);
const hooks = await startHookServer(
  parseServeOptions(['--port', '0', '--host', '127.0.0.1', '--atlas-domain', sim.url, '--body-limit', String(256 * 1024 * 1024)], {}),
  allKinds(),
  createLogger('silent'),
);
try {
  const parent = {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'p', namespace: 'bench', uid: 'u', generation: 1 },
    spec: { name: 'bench-conditions', connectionSecretRef: { name: 'keys' } },
  };
  const sync = async (body) => {
    const res = await request(`${hooks.url}/hooks/atlasproject/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return (await res.body.json()).status;
  };
  for (let i = 0; i < 2; i++) parent.status = await sync(JSON.stringify({ parent, related, children: {} }));
  console.log(`sync of one Ready AtlasProject with N foreign observed conditions, ${ROUNDS} rounds each (read cache off)`);
  for (const n of [1_000, 10_000, 100_000]) {
    const foreign = Array.from({ length: n }, (_, i) => ({ type: `Foreign${i}`, status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Old', message: 'left by another operator' }));
    const body = JSON.stringify({ parent: { ...parent, status: { ...parent.status, conditions: [...parent.status.conditions, ...foreign] } }, related, children: {} });
    const times = [];
    let answered;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now();
      answered = await sync(body);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    console.log(`  ${String(n).padStart(7)} conditions (${(body.length / 1048576).toFixed(1)} MiB): p50 ${p50.toFixed(1)} ms per sync, ${((p50 / n) * 1000).toFixed(2)} ms per 1,000 conditions; ${answered.conditions.length} conditions answered`);
  }
} finally {
  await hooks.shutdown();
  await sim.stop();
}
