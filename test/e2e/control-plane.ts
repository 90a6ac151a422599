/**
 * A real control plane on loopback for the e2e run: etcd, kube-apiserver (static token,
 * AlwaysAllow) and Metacontroller out of cluster, from binaries built by build-binaries.sh,
 * and our hook server and simulator as their own processes, as in production, so nothing
 * the test process does can stall them. Every process is stopped on exit, failure
 * included, each one's log is kept for printing, and the temp folder is removed.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/atlas-metacontroller.js', import.meta.url));

export interface ControlPlane {
  dir: string;
  bin: string;
  kubeconfig: string;
  /** kubectl for quick calls; it blocks this process, which serves nothing. */
  kubectl(args: string[], input?: string): string;
  /** kubectl for calls that take a while (wait), so watches keep reading meanwhile. */
  kubectlAsync(args: string[]): Promise<string>;
  /** kubectl, expecting failure: returns its stderr. */
  kubectlFails(args: string[], input?: string): string;
  /** `kubectl get -w -o json …`: every version of the objects seen, as they arrive. */
  watch(args: string[]): Watch;
  startMetacontroller(binary: string): void;
  /** `atlas-metacontroller <command> …` as its own process; resolves once `ready` says so. */
  startService(name: string, args: string[], ready: () => Promise<boolean>): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

export interface Watch {
  objects: Array<Record<string, any>>;
  stop(): void;
}

export async function freePortOnLoopback(): Promise<number> {
  return freePort();
}

/** Splits kubectl's stream of pretty-printed JSON objects into objects. */
export function jsonObjects(onObject: (object: Record<string, any>) => void): (chunk: Buffer) => void {
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  let scanned = 0;
  return (chunk) => {
    buffer += chunk.toString('utf8');
    for (let i = scanned; i < buffer.length; i++) {
      const c = buffer[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && --depth === 0) {
        onObject(JSON.parse(buffer.slice(start, i + 1)));
        buffer = buffer.slice(i + 1);
        i = -1;
      }
    }
    scanned = buffer.length;
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Binaries {
  bin: string;
  /** Metacontroller and its CRDs, or why there are none here. */
  metacontroller: { binary: string; crds: string } | { unavailable: string };
}

/**
 * The Kubernetes binaries from build-binaries.sh, and Metacontroller from
 * $E2E_METACONTROLLER_BIN (with $E2E_METACONTROLLER_CRDS) or from the cache beside them.
 */
export function buildBinaries(): Binaries {
  const script = new URL('./build-binaries.sh', import.meta.url).pathname;
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const bin = out.trim().split('\n').at(-1)!;
  const fromEnv = process.env.E2E_METACONTROLLER_BIN;
  const binary = fromEnv || join(bin, 'metacontroller');
  const crds = fromEnv ? (process.env.E2E_METACONTROLLER_CRDS ?? '') : join(bin, '..', 'metacontroller-crds-v1.yaml');
  if (existsSync(binary) && existsSync(crds)) return { bin, metacontroller: { binary, crds } };
  if (fromEnv) return { bin, metacontroller: { unavailable: `$E2E_METACONTROLLER_BIN (${fromEnv}) or $E2E_METACONTROLLER_CRDS (${crds || 'unset'}) does not exist` } };
  const reason = join(bin, '..', 'metacontroller.unavailable');
  const proxy = existsSync(reason) ? `the module proxy answered: ${readFileSync(reason, 'utf8').trim()}` : 'the module proxy was not asked';
  return {
    bin,
    metacontroller: {
      unavailable: `no Metacontroller binary at $E2E_METACONTROLLER_BIN (with $E2E_METACONTROLLER_CRDS) nor at ${binary} (with ${crds}); ${proxy}`,
    },
  };
}

export async function startControlPlane(bin: string): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-'));
  const processes: Array<{ name: string; child: ChildProcess; log: string }> = [];
  const start = (name: string, command: string, args: string[]) => {
    const log = join(dir, `${name}.log`);
    writeFileSync(log, '');
    const child = spawn(command.startsWith('/') ? command : join(bin, command), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' });
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    processes.push({ name, child, log });
  };

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writeFileSync(join(dir, 'tokens.csv'), 'e2e-token,e2e-admin,e2e-admin,system:masters\n');
  const [etcdClient, etcdPeer, apiserver] = [await freePort(), await freePort(), await freePort()];
  start('etcd', 'etcd', [
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync',
    '--log-level=warn',
  ]);
  start('kube-apiserver', 'kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiserver}`,
    `--cert-dir=${join(dir, 'pki')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(dir, 'sa.key')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=AlwaysAllow',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--endpoint-reconciler-type=none',
  ]);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: e2e, cluster: {server: "https://127.0.0.1:${apiserver}", insecure-skip-tls-verify: true}}]
users: [{name: e2e-admin, user: {token: e2e-token}}]
contexts: [{name: e2e, context: {cluster: e2e, user: e2e-admin}}]
current-context: e2e
`,
  );
  const kubectl = (args: string[], input?: string) =>
    execFileSync(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  const watches: ChildProcess[] = [];
  const plane: ControlPlane = {
    dir,
    bin,
    kubeconfig,
    kubectl,
    async kubectlAsync(args) {
      try {
        return (await execFileAsync(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' })).stdout;
      } catch (error) {
        const { stderr, stdout } = error as { stderr?: string; stdout?: string };
        throw new Error(`kubectl ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
      }
    },
    watch(args) {
      const objects: Array<Record<string, any>> = [];
      const child = spawn(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, 'get', '-w', '-o', 'json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      watches.push(child);
      child.stdout!.on('data', jsonObjects((object) => objects.push(object)));
      return { objects, stop: () => child.kill('SIGTERM') };
    },
    async startService(name, args, ready) {
      start(name, process.execPath, [CLI, ...args]);
      const child = processes.at(-1)!.child;
      for (let i = 0; i < 300 && child.exitCode === null; i++) {
        try {
          if (await ready()) return;
        } catch {
          // not listening yet
        }
        await sleep(100);
      }
      throw new Error(`${name} did not become ready\n${plane.logs()}`);
    },
    kubectlFails(args, input) {
      try {
        kubectl(args, input);
      } catch (error) {
        return String((error as { stderr?: string }).stderr ?? error);
      }
      throw new Error(`kubectl ${args.join(' ')} succeeded, but should have failed`);
    },
    startMetacontroller(binary) {
      // "0" turns off its metrics and health listeners (they default to every interface);
      // pprof is off by default: nothing of it listens.
      start('metacontroller', binary, [
        `--kubeconfig=${kubeconfig}`,
        '--discovery-interval=1s',
        '--metrics-address=0',
        '--health-probe-bind-address=0',
        '--zap-log-level=4',
      ]);
    },
    logs() {
      return processes.map((p) => `----- ${p.name} -----\n${readFileSync(p.log, 'utf8').slice(-20_000)}`).join('\n');
    },
    async stop() {
      for (const w of watches) if (w.exitCode === null) w.kill('SIGTERM');
      for (const p of processes.reverse()) {
        if (p.child.exitCode === null) {
          p.child.kill('SIGTERM');
          await Promise.race([new Promise((r) => p.child.once('exit', r)), sleep(5_000).then(() => p.child.kill('SIGKILL'))]);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 120; i++) {
    try {
      if (kubectl(['get', '--raw=/readyz']).trim() === 'ok') return plane;
    } catch {
      // not up yet
    }
    if (processes.some((p) => p.child.exitCode !== null)) break;
    await sleep(1_000);
  }
  const logs = plane.logs();
  await plane.stop();
  throw new Error(`kube-apiserver did not become ready\n${logs}`);
}
