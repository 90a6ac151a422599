// 500 AtlasProjects and 500 AtlasDatabaseUsers (one per project) from nothing to Ready, then
// one steady pass, against the simulator with 100 ms latency on every Atlas request, through
// the hook server as its own process, driven by 5 workers as Metacontroller runs them.
// Objects waiting on Atlas are synced again in the next round, after the simulator's clock
// moved on by their resyncAfterSeconds. Prints total Atlas calls and writes, wall time
// against the latency floor, the server's CPU and peak RSS. Linux only (/proc).
// Run: npm run bench:scale   (BENCH_OBJECTS, BENCH_LATENCY_MS, BENCH_WORKERS; `serve` as the
// image runs it, see startHookServer)
import { cpus } from 'node:os';
import { Pool } from 'undici';
import { DEMO_ORG } from '../dist/sim/server.js';
import { cpuMs, rssMiB, startHookServer, startSimProcess } from './sim-process.mjs';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 500);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 5);

const sim = await startSimProcess(['--provision-seconds', '30']);
const control = (path, method = 'GET', body) =>
  fetch(`${sim.url}/__sim/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) }).then((r) => r.json().catch(() => ({})));
const hooks = await startHookServer(sim.url);
const pool = new Pool(hooks.url, { connections: WORKERS });

const b64 = (s) => Buffer.from(s).toString('base64');
const keys = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'scale' }, data: { orgId: b64(DEMO_ORG.id), publicApiKey: b64(DEMO_ORG.publicKey), privateApiKey: b64(DEMO_ORG.privateKey) } };
const password = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pw', namespace: 'scale', resourceVersion: '1' }, data: { password: b64('scale-test-password') } };
const projects = Array.from({ length: OBJECTS }, (_, i) => ({
  apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: { name: `p${i}`, namespace: 'scale', uid: `p${i}`, generation: 1 },
  spec: { name: `scale-${i}`, connectionSecretRef: { name: 'keys' }, projectIpAccessList: [{ ipAddress: `10.1.${i >> 8}.${i & 255}` }] },
}));
const users = projects.map((p, i) => ({
  apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDatabaseUser', metadata: { name: `u${i}`, namespace: 'scale', uid: `u${i}`, generation: 1 },
  spec: { username: `app-${i}`, projectRef: { name: p.metadata.name }, passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'readWrite', databaseName: 'shop' }] },
}));
const group = (o) => `${o.kind}.${o.apiVersion}`;
const related = (object) =>
  object.kind === 'AtlasProject'
    ? { 'Secret.v1': { 'scale/keys': keys } }
    : { 'Secret.v1': { 'scale/keys': keys, 'scale/pw': password }, [group(projects[0])]: { [`scale/${object.spec.projectRef.name}`]: projects[Number(object.metadata.name.slice(1))] } };
const children = new Map();

async function sync(object) {
  const route = object.kind.toLowerCase();
  const body = JSON.stringify({ controller: {}, parent: object, related: related(object), children: children.get(object.metadata.uid) ?? {}, finalizing: false });
  const res = await pool.request({ path: `/hooks/${route}/sync`, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${route} ${object.metadata.name}: ${res.statusCode} ${JSON.stringify(answer)}`);
  object.status = answer.status;
  const kids = {};
  for (const child of answer.children) (kids[group(child)] ??= {})[`${child.metadata.namespace}/${child.metadata.name}`] = child;
  children.set(object.metadata.uid, kids);
  return answer.resyncAfterSeconds;
}

/** One pass over `objects` with WORKERS in parallel; the most any asked to wait. */
async function pass(objects) {
  let next = 0;
  let wait = 0;
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < objects.length) wait = Math.max(wait, (await sync(objects[next++])) ?? 0);
  }));
  return wait;
}

const ready = (o) => o.status?.conditions?.[0]?.status === 'True';
try {
  await control('faults', 'POST', { route: '*', kind: 'latency', latencyMs: LATENCY_MS, count: 1_000_000 });
  await control('requests', 'DELETE');
  const cpuBefore = cpuMs(hooks.child.pid);
  const started = performance.now();
  let rounds = 0;
  // Projects first: a user needs its project's Atlas id, which the project's status carries.
  for (const kind of [projects, users]) {
    for (let waiting = kind; waiting.length > 0 && rounds < 50; waiting = kind.filter((o) => !ready(o))) {
      rounds++;
      const wait = await pass(waiting);
      if (wait > 0) await control('clock/advance', 'POST', { seconds: wait });
    }
  }
  const toReady = (performance.now() - started) / 1000;
  const countsToReady = await control('requests');
  await control('requests', 'DELETE');
  const steadyStarted = performance.now();
  await pass([...projects, ...users]);
  const steady = (performance.now() - steadyStarted) / 1000;
  const countsSteady = await control('requests');
  const cpu = cpuMs(hooks.child.pid) - cpuBefore;
  const sum = (counts, pick) => Object.entries(counts).filter(([k]) => pick(k)).reduce((n, [, c]) => n + c.authenticated, 0);
  const requests = (counts) => Object.values(counts).reduce((n, c) => n + c.requests, 0);
  const calls = sum(countsToReady, () => true);
  const steadyCalls = sum(countsSteady, () => true);
  const floor = (n) => (n * LATENCY_MS) / 1000 / WORKERS;
  console.log(`bench:scale — ${OBJECTS} AtlasProjects + ${OBJECTS} AtlasDatabaseUsers, ${LATENCY_MS} ms Atlas latency, ${WORKERS} workers, ${cpus().length} cores; serve with ${hooks.how}`);
  console.log(`  to Ready: ${projects.filter(ready).length + users.filter(ready).length}/${2 * OBJECTS} Ready in ${rounds} rounds, ${calls} Atlas calls (${requests(countsToReady)} HTTP requests), ${sum(countsToReady, (k) => !k.startsWith('GET '))} writes, wall ${toReady.toFixed(1)} s vs ${floor(requests(countsToReady)).toFixed(1)} s were every request one after another per worker`);
  console.log(`  steady pass: ${steadyCalls} Atlas calls for ${2 * OBJECTS} syncs (${(steadyCalls / (2 * OBJECTS)).toFixed(2)} per sync), ${sum(countsSteady, (k) => !k.startsWith('GET '))} writes, wall ${steady.toFixed(1)} s vs ${floor(requests(countsSteady)).toFixed(1)} s serial`);
  console.log(`  hook server: CPU ${(cpu / 1000).toFixed(1)} s (${(cpu / (rounds * OBJECTS + 2 * OBJECTS)).toFixed(2)} ms per sync), peak RSS ${rssMiB(hooks.child.pid, 'VmHWM').toFixed(0)} MiB`);
  console.log(`  steady calls by route: ${Object.entries(countsSteady).map(([k, c]) => `${k} ${c.authenticated}`).join('; ')}`);
} finally {
  await pool.close();
  await hooks.stop();
  await sim.stop();
}
