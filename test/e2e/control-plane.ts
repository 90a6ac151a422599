/**
 * A real control plane on loopback for the e2e run: etcd, kube-apiserver (static token,
 * AlwaysAllow) and Metacontroller out of cluster, from binaries built by build-binaries.sh;
 * our hook server and the simulator run in this process. Every process is stopped on exit,
 * failure included, and each one's log is kept for printing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ControlPlane {
  dir: string;
  bin: string;
  kubeconfig: string;
  kubectl(args: string[], input?: string): string;
  /** kubectl, expecting failure: returns its stderr. */
  kubectlFails(args: string[], input?: string): string;
  startMetacontroller(): void;
  logs(): string;
  stop(): Promise<void>;
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
  metacontrollerCrds: string;
  /** Why Metacontroller could not be built here, or undefined when it was. */
  metacontrollerUnavailable?: string;
}

export function buildBinaries(): Binaries {
  const script = new URL('./build-binaries.sh', import.meta.url).pathname;
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const bin = out.trim().split('\n').at(-1)!;
  const reason = join(bin, '..', 'metacontroller.unavailable');
  return {
    bin,
    metacontrollerCrds: join(bin, '..', 'metacontroller-crds-v1.yaml'),
    ...(existsSync(reason) ? { metacontrollerUnavailable: readFileSync(reason, 'utf8').trim() } : {}),
  };
}

export async function startControlPlane(bin: string): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-'));
  const processes: Array<{ name: string; child: ChildProcess; log: string }> = [];
  const start = (name: string, command: string, args: string[]) => {
    const log = join(dir, `${name}.log`);
    writeFileSync(log, '');
    const child = spawn(join(bin, command), args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const plane: ControlPlane = {
    dir,
    bin,
    kubeconfig,
    kubectl,
    kubectlFails(args, input) {
      try {
        kubectl(args, input);
      } catch (error) {
        return String((error as { stderr?: string }).stderr ?? error);
      }
      throw new Error(`kubectl ${args.join(' ')} succeeded, but should have failed`);
    },
    startMetacontroller() {
      start('metacontroller', 'metacontroller', [
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
