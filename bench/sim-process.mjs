// The benchmarks' processes: the built simulator and servers, each as its own process, with
// their CPU time and memory read from /proc (Linux).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/atlas-metacontroller.js', import.meta.url));

// A benchmark that throws (a server that would not start, say) must not leave the ones it
// started running: an orphaned simulator holds the shell's pipe open, and the run never ends.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
function spawnTracked(...args) {
  const child = spawn(...args);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export async function startSimProcess(args = []) {
  const child = spawnTracked(process.execPath, [bin, 'sim', '--port', '0', '--rate-limit', 'off', '--log-level', 'info', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${out}`)));
  });
  child.stdout.resume();
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const TICK_MS = 10; // USER_HZ 100

/** CPU time (user + system) a process has used, in ms. */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
/** VmRSS (now) or VmHWM (peak) of a process, in MiB. */
export const rssMiB = (pid, field) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]) / 1024;

/**
 * Spawns `node args`, resolves once stdout matches `ready` (its group 1 is the URL). `env`
 * replaces the environment; `cgroup` is a directory whose cgroup.procs the process joins
 * before node starts, so V8 sizes its heap from that cgroup's limit as it would in a pod.
 * It waits `settleMs` before reading the idle RSS (0 when only the start time matters).
 */
export async function startServer(args, ready, { env, cgroup, settleMs = 1000 } = {}) {
  const started = performance.now();
  const child = cgroup
    ? spawnTracked('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env })
    : spawnTracked(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const spawnMs = performance.now() - started;
  const startCpuMs = cpuMs(child.pid); // CPU spent starting: steadier than the wall time on a shared VM
  if (process.env.BENCH_SERVER_LOG) child.stdout.pipe((await import('node:fs')).createWriteStream(process.env.BENCH_SERVER_LOG + child.pid));
  else child.stdout.resume();
  await new Promise((resolve) => setTimeout(resolve, settleMs)); // settle before idle RSS
  return { child, url, spawnMs, startCpuMs, idleRss: rssMiB(child.pid, 'VmRSS'), stop: (signal = 'SIGKILL') => new Promise((r) => { child.once('exit', r); child.kill(signal); }) };
}

/** The NODE_OPTIONS the image runs `serve` with: the Dockerfile's `ENV NODE_OPTIONS="…"`. */
export function imageNodeOptions() {
  const match = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'));
  if (!match) throw new Error('the Dockerfile sets no ENV NODE_OPTIONS="…"');
  return match[1];
}

let cgroups = 0;

/** A memory cgroup (v2, else v1) limited to `mib`, for one server; needs root on Linux. */
function memoryCgroup(mib) {
  if (!(mib > 0)) throw new Error(`BENCH_MEMORY_LIMIT_MIB must be a positive number of MiB, got "${process.env.BENCH_MEMORY_LIMIT_MIB}"`);
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers') && /\bmemory\b/.test(readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8'));
  const root = v2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/memory';
  // One per server: bench:hooks starts more while its first hook server still runs.
  const dir = `${root}/atlas-metacontroller-bench-${process.pid}-${++cgroups}`;
  try {
    if (v2 && !/\bmemory\b/.test(readFileSync(`${root}/cgroup.subtree_control`, 'utf8'))) writeFileSync(`${root}/cgroup.subtree_control`, '+memory');
    mkdirSync(dir);
    writeFileSync(`${dir}/${v2 ? 'memory.max' : 'memory.limit_in_bytes'}`, String(mib * 1024 * 1024));
  } catch (err) {
    throw new Error(`BENCH_MEMORY_LIMIT_MIB needs a memory cgroup this user may create under ${root} (root on Linux): ${err.message}`);
  }
  return { dir, remove: () => rmdirSync(dir) };
}

/** The flags the code cache was last written under, and whether V8 takes it under them. */
let codeCache;

/**
 * The bundle's code cache written under `nodeOptions` and the node arguments `v8Args`, as
 * the image writes its own under the Dockerfile's (V8 rejects a cache made under other
 * flags); whether a start under them takes it, asked of a fresh process once per set of
 * flags, not once per start.
 */
function codeCacheFor(nodeOptions, v8Args) {
  const flags = `${nodeOptions}\0${v8Args.join(' ')}`;
  if (codeCache?.flags === flags) return codeCache.taken;
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  execFileSync(process.execPath, [...v8Args, fileURLToPath(new URL('../scripts/write-code-cache.mjs', import.meta.url))], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const probe = `import { loadBundle } from ${JSON.stringify(new URL('../dist/load-bundle.js', import.meta.url).href)}; console.log(loadBundle().fromCache);`;
  const taken = execFileSync(process.execPath, [...v8Args, '--input-type=module', '-e', probe], { env, encoding: 'utf8' }).trim() === 'true';
  codeCache = { flags, taken };
  return taken;
}

/**
 * `serve` as the image runs it, against the simulator at `atlasUrl`: under the Dockerfile's
 * NODE_OPTIONS (BENCH_NODE_OPTIONS replaces them, empty for node's own defaults; BENCH_NODE_ARGS
 * adds node arguments NODE_OPTIONS refuses, e.g. --single-threaded-gc), from the code cache
 * written under them and, with BENCH_MEMORY_LIMIT_MIB, inside a memory cgroup
 * of that size as a pod's limit would hold it. `nodeArgs` go before the script (e.g.
 * --cpu-prof). `how` says which of these applied.
 */
export async function startHookServer(atlasUrl, { nodeArgs = [], script = bin, settleMs } = {}) {
  const nodeOptions = process.env.BENCH_NODE_OPTIONS ?? imageNodeOptions();
  const v8Args = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const fromCodeCache = codeCacheFor(nodeOptions, v8Args);
  const limit = process.env.BENCH_MEMORY_LIMIT_MIB === undefined ? undefined : memoryCgroup(Number(process.env.BENCH_MEMORY_LIMIT_MIB));
  try {
    const server = await startServer(
      [...v8Args, ...nodeArgs, script, 'serve', '--port', '0', '--host', '127.0.0.1', '--atlas-domain', atlasUrl, '--log-level', 'info'],
      /"url":"(http:\/\/[^"]+)".*"hook server listening"/,
      { env: { ...process.env, NODE_OPTIONS: nodeOptions }, cgroup: limit?.dir, settleMs },
    );
    const how = `NODE_OPTIONS="${nodeOptions}"${process.env.BENCH_NODE_OPTIONS === undefined ? " (the image's)" : ''}${v8Args.length ? `, node ${v8Args.join(' ')}` : ''}, ${fromCodeCache ? 'from the code cache' : 'code cache REJECTED, compiled from source'}, ${limit ? `in a ${process.env.BENCH_MEMORY_LIMIT_MIB} MiB memory cgroup` : 'no memory limit'}`;
    const stopServer = server.stop;
    return { ...server, how, stop: async (signal) => { await stopServer(signal); limit?.remove(); } };
  } catch (err) {
    limit?.remove();
    throw err;
  }
}
