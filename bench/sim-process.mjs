// The benchmarks' processes: the built simulator and servers, each as its own process, with
// their CPU time and memory read from /proc (Linux).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/atlas-metacontroller.js', import.meta.url));

export async function startSimProcess(args = []) {
  const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--rate-limit', 'off', '--log-level', 'info', ...args], {
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

/** Spawns `node args`, resolves once stdout matches `ready` (its group 1 is the URL). */
export async function startServer(args, ready) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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
  if (process.env.BENCH_SERVER_LOG) child.stdout.pipe((await import('node:fs')).createWriteStream(process.env.BENCH_SERVER_LOG + child.pid));
  else child.stdout.resume();
  await new Promise((resolve) => setTimeout(resolve, 1000)); // settle before idle RSS
  return { child, url, spawnMs, idleRss: rssMiB(child.pid, 'VmRSS'), stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGKILL'); }) };
}

