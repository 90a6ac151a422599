/**
 * The bundle bin/ runs, compiled from V8's code cache when the cache belongs to this build,
 * this node and these flags, and from source otherwise, with the same output either way.
 * Each case is a fresh node on a copy of the built bundle. `npm test` builds first.
 */
import t from 'tap';
import type { Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const loader = new URL('../dist/load-bundle.js', import.meta.url).href;
const built = new URL('../dist/bundle/cli.cjs', import.meta.url);
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A package of its own: the bundle finds package.json two folders up, as in dist/bundle/. */
function packageCopy(t: Test): string {
  const root = t.testdir({ 'package.json': JSON.stringify({ version }) });
  mkdirSync(join(root, 'dist/bundle'), { recursive: true });
  const bundle = join(root, 'dist/bundle/cli.cjs');
  copyFileSync(built, bundle);
  return bundle;
}

/** The flags and nothing else of the test runner's: V8 compares them with the cache's. */
const nodeWith = (nodeOptions: string) => ({ ...process.env, NODE_OPTIONS: nodeOptions });

function writeCache(bundle: string, nodeOptions = '', env: Record<string, string> = {}) {
  const script = `import { writeCodeCache } from ${JSON.stringify(loader)}; await writeCodeCache(${JSON.stringify(bundle)}); process.exit(0);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...nodeWith(nodeOptions), ...env }, stdio: 'ignore' });
}

/** Runs the command from the bundle in a fresh node: whether V8 took the cache, and what it printed. */
function runBundle(bundle: string, args: string[], nodeOptions = '') {
  const script = `import { loadBundle } from ${JSON.stringify(loader)}; const b = loadBundle(${JSON.stringify(bundle)}); console.log(JSON.stringify({ fromCache: b.fromCache })); await b.cli.run(${JSON.stringify(args)});`;
  const [first, ...rest] = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: nodeWith(nodeOptions), encoding: 'utf8' }).split('\n');
  return { fromCache: (JSON.parse(first!) as { fromCache: boolean }).fromCache, output: rest.join('\n') };
}

t.test('a cache written by this node under these flags is taken, and the command runs from it', async (t) => {
  const bundle = packageCopy(t);
  t.same(runBundle(bundle, ['--version']), { fromCache: false, output: `atlas-metacontroller ${version}\n` }, 'no cache yet: compiled from source');
  writeCache(bundle);
  t.same(runBundle(bundle, ['--version']), { fromCache: true, output: `atlas-metacontroller ${version}\n` });
});

t.test("serve's settings in the building shell do not stop the cache being written", async (t) => {
  const bundle = packageCopy(t);
  writeCache(bundle, '', { TLS_CERT_FILE: '/nonexistent/tls.crt', HOOK_TIMEOUT: 'soon' });
  t.equal(runBundle(bundle, ['--version']).fromCache, true);
});

t.test('under other V8 flags V8 rejects the cache, and the command still runs', async (t) => {
  const bundle = packageCopy(t);
  writeCache(bundle);
  t.same(runBundle(bundle, ['--version'], '--max-old-space-size=100'), { fromCache: false, output: `atlas-metacontroller ${version}\n` });
});

t.test("another build's cache is never offered, even for a bundle of the same length", async (t) => {
  const bundle = packageCopy(t);
  writeCache(bundle);
  // What a rebuild after a one-letter change makes: V8 tells sources apart by length alone,
  // so without the build id it would run the old build's compiled usage text.
  const body = readFileSync(bundle, 'utf8').replace(/^[^\n]*\n/, '').replace('the hook server Metacontroller calls', 'the hook server Metacontroller CALLS');
  writeFileSync(bundle, `// build ${createHash('sha256').update(body).digest('hex')}\n${body}`);
  const { fromCache, output } = runBundle(bundle, ['--help']);
  t.equal(fromCache, false);
  t.match(output, /serve {3}the hook server Metacontroller CALLS/);
});

t.test("an import() the bundle keeps (of a module esbuild does not bundle) loads as in a module", async (t) => {
  const root = t.testdir({});
  const bundle = join(root, 'cli.cjs');
  const body = `module.exports = { run: async () => { const { EOL } = await import('node:os'); console.log(JSON.stringify(EOL)); } };\n`;
  writeFileSync(bundle, `// build ${createHash('sha256').update(body).digest('hex')}\n${body}`);
  t.same(runBundle(bundle, []), { fromCache: false, output: '"\\n"\n' });
});

t.test('a bundle without its build id stops with an error that says to rebuild', async (t) => {
  const bundle = packageCopy(t);
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/^[^\n]*\n/, ''));
  t.throws(() => runBundle(bundle, ['--version']));
  const script = `import { loadBundle } from ${JSON.stringify(loader)}; try { loadBundle(${JSON.stringify(bundle)}) } catch (e) { console.log(e.message) }`;
  t.match(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }), /has no "\/\/ build <sha256>" first line: rebuild it with npm run build/);
});
