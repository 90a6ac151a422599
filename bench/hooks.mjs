// The hook server against a bare fastify echo of the same payloads, each as its own process,
// A/B alternated, at concurrency 1 and 64: requests per second, p50 and p99, server CPU per
// request (from the server process's own /proc counters), its RSS idle and at peak, the
// ratios, and the Atlas calls per steady-state sync.
// Also spawn → listening for both, the median of BENCH_SPAWNS alternated starts (one start
// on a shared VM is noise). `serve` runs as the image runs it (startHookServer):
// BENCH_NODE_OPTIONS, BENCH_NODE_ARGS and BENCH_MEMORY_LIMIT_MIB change that. Linux only
// (/proc).
// Run: npm run bench:hooks
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { DEMO_ORG } from '../dist/sim/server.js';
import { cpuMs, percentile, rssMiB, startHookServer, startServer, startSimProcess } from './sim-process.mjs';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 200);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 9);
const bin = process.env.BENCH_BIN ?? fileURLToPath(new URL('../bin/atlas-metacontroller.js', import.meta.url));
const echo = fileURLToPath(new URL('./echo-server.mjs', import.meta.url));
const floorServer = fileURLToPath(new URL('./floor-server.mjs', import.meta.url));
const b64 = (s) => Buffer.from(s).toString('base64');
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
const ECHO_READY = /"url":"(http:\/\/[^"]+)"/;
const keys = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'bench' }, data: { orgId: b64(DEMO_ORG.id), publicApiKey: b64(DEMO_ORG.publicKey), privateApiKey: b64(DEMO_ORG.privateKey) } };

async function load(pool, path, bodies, concurrency) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < REQUESTS) {
      const body = bodies[next++ % bodies.length];
      const t0 = performance.now();
      const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { seconds: (performance.now() - started) / 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const sim = await startSimProcess(['--provision-seconds', '0']);
// BENCH_PROFILE=dir writes a CPU profile of the hook server there.
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const hooks = await startHookServer(sim.url, { nodeArgs: profile, script: bin });
const bare = await startServer([echo], ECHO_READY);
const floor = await startServer([floorServer, sim.url], ECHO_READY);
try {
  const hooksPool = new Pool(hooks.url, { connections: 64 });
  const barePool = new Pool(bare.url, { connections: 64 });
  const floorPool = new Pool(floor.url, { connections: 64 });
  // Ready projects, with the status Metacontroller would send back.
  const parents = Array.from({ length: PROJECTS }, (_, i) => ({
    apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: { name: `p${i}`, namespace: 'bench', uid: `u${i}`, generation: 1 },
    spec: { name: `bench-${i}`, connectionSecretRef: { name: 'keys' }, projectIpAccessList: [{ ipAddress: `10.0.${i >> 8}.${i & 255}` }] },
  }));
  for (let round = 0; round < 3; round++) {
    for (const parent of parents) {
      const res = await hooksPool.request({ path: '/hooks/atlasproject/sync', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parent, related: { 'Secret.v1': { 'bench/keys': keys } }, children: {} }) });
      parent.status = (await res.body.json()).status;
    }
  }
  const ready = parents.filter((p) => p.status.conditions[0].status === 'True').length;
  const bodies = parents.map((parent) => JSON.stringify({ controller: {}, parent, related: { 'Secret.v1': { 'bench/keys': keys } }, children: {}, finalizing: false }));
  await (await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' })).text();
  console.log(`bench:hooks — ${ready}/${PROJECTS} Ready AtlasProjects, ${REQUESTS} requests per run, ${ROUNDS} A/B rounds, ${(await import('node:os')).cpus().length} cores; serve with ${hooks.how}`);
  const totals = {};
  let hookRequests = 0;
  for (const concurrency of (process.env.BENCH_CONCURRENCY ?? '1,64').split(',').map(Number)) {
    const acc = Object.fromEntries(['hooks', 'floor', 'bare'].map((name) => [name, { cpu: 0, seconds: 0, p50: [], p99: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, server, pool, path] of [['hooks', hooks, hooksPool, '/hooks/atlasproject/sync'], ['floor', floor, floorPool, '/echo'], ['bare', bare, barePool, '/echo']]) {
        const before = cpuMs(server.child.pid);
        const r = await load(pool, path, bodies, concurrency);
        acc[name].cpu += cpuMs(server.child.pid) - before;
        acc[name].seconds += r.seconds;
        acc[name].p50.push(r.p50);
        acc[name].p99.push(r.p99);
        if (name === 'hooks') hookRequests += REQUESTS;
      }
    }
    for (const name of ['hooks', 'floor', 'bare']) {
      const a = acc[name];
      totals[`${name}${concurrency}`] = a.cpu / (REQUESTS * ROUNDS);
      console.log(`  c=${String(concurrency).padStart(2)} ${name.padEnd(5)}: ${Math.round((REQUESTS * ROUNDS) / a.seconds)} req/s, p50 ${median(a.p50).toFixed(2)} ms, p99 ${median(a.p99).toFixed(2)} ms, server CPU ${(a.cpu / (REQUESTS * ROUNDS)).toFixed(3)} ms/request`);
    }
    const ratio = (a, b) => (totals[`${a}${concurrency}`] / totals[`${b}${concurrency}`]).toFixed(2);
    console.log(`  c=${String(concurrency).padStart(2)} ratio: hooks/bare CPU per request ${ratio('hooks', 'bare')}×; floor/bare ${ratio('floor', 'bare')}× (the one Atlas read alone); hooks/floor ${ratio('hooks', 'floor')}×`);
  }
  const counts = await (await fetch(`${sim.url}/__sim/requests`)).json();
  const atlasCalls = Object.values(counts).reduce((n, c) => n + c.authenticated, 0);
  const writes = Object.entries(counts).filter(([k]) => !k.startsWith('GET ')).reduce((n, [, c]) => n + c.authenticated, 0);
  console.log(`  Atlas calls per steady-state project sync: ${(atlasCalls / hookRequests).toFixed(2)} (${Object.keys(counts).join(', ')}); writes: ${writes}`);
  console.log(`  RSS: hooks idle ${hooks.idleRss.toFixed(0)} MiB, peak ${rssMiB(hooks.child.pid, 'VmHWM').toFixed(0)} MiB; bare idle ${bare.idleRss.toFixed(0)} MiB, peak ${rssMiB(bare.child.pid, 'VmHWM').toFixed(0)} MiB`);
  const starts = { hooks: [hooks.spawnMs], bare: [bare.spawnMs] };
  const startCpu = { hooks: [hooks.startCpuMs], bare: [bare.startCpuMs] };
  for (let i = 1; i < SPAWNS; i++) {
    for (const [name, start] of [['hooks', () => startHookServer(sim.url, { script: bin, settleMs: 0 })], ['bare', () => startServer([echo], ECHO_READY, { settleMs: 0 })]]) {
      const server = await start();
      starts[name].push(server.spawnMs);
      startCpu[name].push(server.startCpuMs);
      await server.stop();
    }
  }
  const [hooksStart, bareStart] = [median(starts.hooks), median(starts.bare)];
  const [hooksCpu, bareCpu] = [median(startCpu.hooks), median(startCpu.bare)];
  console.log(`  spawn → listening, median of ${SPAWNS} alternated starts: hooks ${hooksStart.toFixed(0)} ms, bare ${bareStart.toFixed(0)} ms (${(hooksStart / bareStart).toFixed(2)}×); CPU to listening ${hooksCpu.toFixed(0)} vs ${bareCpu.toFixed(0)} ms (${(hooksCpu / bareCpu).toFixed(2)}×)`);
  await hooksPool.close();
  await barePool.close();
  await floorPool.close();
} finally {
  await hooks.stop(profile.length ? 'SIGINT' : undefined); // SIGINT lets node write the profile
  await bare.stop();
  await floor.stop();
  await sim.stop();
}
