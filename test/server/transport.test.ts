/**
 * The hook transport over real sockets: TLS, rotation of certificate and token files, the
 * bearer token, mTLS, and the SIGTERM drain of the real `serve` process.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startTestHookServer, projectParent, type TestHookServer } from '../helpers/hook-server.js';
import { startPki, type Pair } from '../helpers/pki.js';
import { testKind } from '../helpers/test-kind.js';
import { parseServeOptions } from '../../src/server/serve.js';
import { startSimulator } from '../../src/sim/server.js';

const customize = { controller: {}, parent: projectParent() };

async function post(server: TestHookServer, options: { ca?: string; client?: Pair; token?: string; url?: string } = {}) {
  const agent = new Agent({ connect: { ...(options.ca ? { ca: options.ca } : {}), ...(options.client ? { cert: options.client.cert, key: options.client.key } : {}) } });
  try {
    const res = await request(`${options.url ?? server.url}/hooks/atlasproject/customize`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify(customize),
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
  } finally {
    await agent.close();
  }
}

/** The serial of the certificate a new connection is served. */
function servedSerial(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.once('error', reject);
  });
}

t.test('TLS only, a bearer token that rotates, certificates that rotate', async (t) => {
  const pki = startPki(t);
  const ca = pki.ca('ca');
  const first = pki.issue(ca, 'server', '0a01');
  const tokenFile = join(pki.dir, 'token');
  writeFileSync(tokenFile, 'first-token-value\n');
  const server = await startTestHookServer([testKind], ['--tls-cert-file', first.certFile, '--tls-key-file', first.keyFile, '--auth-token-file', tokenFile]);
  t.teardown(() => server.shutdown());
  t.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);

  await t.rejects(post(server, { url: server.url.replace('https:', 'http:'), token: 'first-token-value' }), 'plain HTTP gets no answer');
  const none = await post(server, { ca: ca.cert });
  t.same([none.status, none.json], [401, { error: 'Unauthorized', message: 'this hook requires Authorization: Bearer <token>; none was sent' }]);
  const wrong = await post(server, { ca: ca.cert, token: 'guessed' });
  t.same([wrong.status, wrong.json.message], [401, 'the bearer token is not the one this server expects']);
  t.equal((await post(server, { ca: ca.cert, token: 'first-token-value' })).status, 200, 'the file content, trimmed');
  const health = new Agent({ connect: { ca: ca.cert } });
  t.teardown(() => health.close());
  t.equal((await request(`${server.url}/healthz`, { dispatcher: health })).statusCode, 200, 'health stays open');
  t.equal((await request(`${server.url}/metrics`, { dispatcher: health })).statusCode, 200, 'and metrics');

  writeFileSync(tokenFile, 'the-second-token\n');
  t.equal((await post(server, { ca: ca.cert, token: 'first-token-value' })).status, 401, 'rotated: the old token is refused');
  t.equal((await post(server, { ca: ca.cert, token: 'the-second-token' })).status, 200, 'and the new one accepted');

  t.equal(await servedSerial(server.url, ca.cert), '0A01');
  const next = pki.issue(ca, 'next', '0b02');
  // As Kubernetes updates a Secret volume: the new files replace the old ones whole.
  renameSync(next.certFile, first.certFile);
  renameSync(next.keyFile, first.keyFile);
  t.equal(await servedSerial(server.url, ca.cert), '0B02', 'a new connection sees the new certificate');
  t.equal((await post(server, { ca: ca.cert, token: 'the-second-token' })).status, 200);

  const logs = server.logText();
  for (const secret of ['first-token-value', 'the-second-token', first.key.split('\n')[1]!, next.key.split('\n')[1]!]) t.notOk(logs.includes(secret), 'no token or key in the logs');
  t.match(logs, /"tls":"TLS","bearerToken":"required"/);
  const metrics = await (await request(`${server.url}/metrics`, { dispatcher: health })).body.text();
  t.match(metrics, /atlas_metacontroller_hook_calls_total\{kind="atlasproject",hook="customize",outcome="unauthorized"\} 3/);
});

t.test('mTLS: only a client certificate of the client CA gets through', async (t) => {
  const pki = startPki(t);
  const ca = pki.ca('ca');
  const clientCa = pki.ca('client-ca');
  const otherCa = pki.ca('other-ca');
  const serverPair = pki.issue(ca, 'server', '01');
  const server = await startTestHookServer([testKind], ['--tls-cert-file', serverPair.certFile, '--tls-key-file', serverPair.keyFile, '--client-ca-file', clientCa.certFile]);
  t.teardown(() => server.shutdown());
  await t.rejects(post(server, { ca: ca.cert }), 'no client certificate: refused');
  await t.rejects(post(server, { ca: ca.cert, client: pki.issue(otherCa, 'stranger', '02') }), 'a certificate of another CA: refused');
  t.equal((await post(server, { ca: ca.cert, client: pki.issue(clientCa, 'metacontroller', '03') })).status, 200);
  t.match(server.logText(), /"tls":"mTLS"/);
});

t.test('transport flags are checked at start-up, naming the flag', async (t) => {
  const pki = startPki(t);
  const pair = pki.issue(pki.ca('ca'), 'server', '01');
  t.throws(() => parseServeOptions(['--tls-cert-file', pair.certFile], {}), /^invalid --tls-key-file: --tls-cert-file and --tls-key-file go together$/);
  t.throws(() => parseServeOptions(['--client-ca-file', pair.certFile], {}), /invalid --client-ca-file: mTLS needs --tls-cert-file and --tls-key-file/);
  await t.rejects(startTestHookServer([testKind], ['--tls-cert-file', join(pki.dir, 'nope.crt'), '--tls-key-file', pair.keyFile]), /invalid --tls-cert-file: cannot read .*nope\.crt: ENOENT/);
  writeFileSync(join(pki.dir, 'empty'), '\n');
  await t.rejects(startTestHookServer([testKind], ['--auth-token-file', join(pki.dir, 'empty')]), /invalid --auth-token-file: .*empty is empty/);
});

t.test('SIGTERM: readiness fails at once, hooks are answered through the delay, in-flight ones finish, exit 0', async (t) => {
  const sim = await startSimulator({ rateLimit: false });
  t.teardown(() => sim.close());
  // Every Atlas call hangs, so a sync stays in flight until its budget runs out.
  sim.control.injectFault({ route: '*', method: '*', kind: 'hang' });
  const cli = fileURLToPath(new URL('../../bin/atlas-metacontroller.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--atlas-domain', sim.url, '--hook-timeout', '4s', '--hook-budget', '1s', '--shutdown-delay', '2s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`serve exited before listening: ${output}`)));
  });
  const credentials = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'team-a' }, data: { orgId: 'YQ==', publicApiKey: 'YQ==', privateApiKey: 'YQ==' } };
  const inFlight = request(`${url}/hooks/atlasproject/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ parent: projectParent({ spec: { name: 'P', connectionSecretRef: { name: 'creds' } } }), related: { 'Secret.v1': { 'team-a/creds': credentials } } }),
  });
  child.kill('SIGTERM');
  const signalled = performance.now();
  let readiness = 200;
  for (let i = 0; i < 200 && readiness === 200; i++) readiness = (await request(`${url}/readyz`)).statusCode;
  t.comment(`readiness failed ${(performance.now() - signalled).toFixed(0)} ms after the signal`);
  t.equal(readiness, 503, '/readyz answers 503');
  const during = await request(`${url}/hooks/atlasproject/customize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(customize) });
  t.equal(during.statusCode, 200, 'a hook sent during the delay is answered');
  const answered = await inFlight;
  t.equal(answered.statusCode, 200, 'the in-flight hook got its answer');
  t.match(((await answered.body.json()) as { status: { conditions: unknown[] } }).status.conditions[0], { type: 'Ready', status: 'False' }, 'with what it could not finish');
  t.equal(await exited, 0, 'exit code 0');
});
