/** The built command, as a user runs it. `npm test` builds first (pretest). */
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const bin = fileURLToPath(new URL('../bin/atlas-metacontroller.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

t.test('serve answers /healthz and exits 0 on SIGTERM', async (t) => {
  const child = run(['serve', '--port', '0', '--host', '127.0.0.1', '--shutdown-delay', '0s']);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /"url":"(http:\/\/[^"]+)".*"hook server listening"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const health = await request(`${url}/healthz`);
  t.equal(health.statusCode, 200);
  await health.body.dump();
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0);
  t.match(out, /shutting down: readiness failed, still answering hooks/);
});

t.test('a bad flag stops start-up with one line naming it', async (t) => {
  const child = run(['serve', '--hook-timeout', 'soon']);
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  const [code] = await once(child, 'exit');
  t.equal(code, 2);
  t.equal(err, 'atlas-metacontroller: invalid --hook-timeout: "soon" is not a duration (use e.g. 30s, 1m30s, 500ms)\n');
});

t.test('--help lists every flag with its env var and default', async (t) => {
  const child = run(['serve', '--help']);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  await once(child, 'exit');
  for (const line of ['--port', 'env PORT, default 8080', 'env ATLAS_DOMAIN, default https://cloud.mongodb.com', 'env HOOK_TIMEOUT, default 30s', 'env GLOBAL_API_SECRET_NAME, default <deployment>-api-key']) {
    t.match(out, line);
  }
});

t.test('--version prints package.json\'s version', async (t) => {
  const child = run(['--version']);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = await once(child, 'exit');
  t.equal(code, 0);
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.equal(out.trim(), `atlas-metacontroller ${version}`);
});
