/**
 * A permanent fuzz suite over all 12 hook routes (customize, sync, finalize, plan per kind): the example payloads of examples/hooks/,
 * mutated by fast-check (a leaf replaced by any JSON value, a key removed, deep nesting,
 * __proto__ keys, unicode and lone surrogates, huge values). Every answer must be a 200 or
 * a 400 that names the field, never a 5xx; no secret of the payload may reach a log line or
 * any part of an answer but a connection Secret; memory must come back near where it
 * started. Seeded and bounded so it runs in seconds; FUZZ_RUNS (per route) runs longer,
 * FUZZ_SEED another sequence.
 */
import t from 'tap';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allKinds } from '../../src/kinds/index.js';
import { startSimulator } from '../../src/sim/server.js';
import { startTestHookServer } from '../helpers/hook-server.js';

type Json = unknown;
type Path = Array<string | number>;

const HOOKS = new URL('../../examples/hooks/', import.meta.url);
const hookOf = (file: string) => /-(customize|sync|finalize)(-round2)?\.json$/.exec(file)![1]!;
const bases = readdirSync(HOOKS)
  .filter((f) => f.endsWith('.json'))
  // A sync payload is also what the plan hook takes.
  .flatMap((file) => (hookOf(file) === 'sync' ? ['sync', 'plan'] : [hookOf(file)]).map((hook) => ({ file, hook })))
  .map(({ file, hook }) => ({ file, route: `/hooks/${file.split('-')[0]}/${hook}`, body: JSON.parse(readFileSync(new URL(file, HOOKS), 'utf8')) as Json }));

/** Every path to a value in the payload, so a mutation can land anywhere. */
function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

function withValue(root: Json, path: Path, value: Json | typeof REMOVE): Json {
  if (path.length === 0) return value === REMOVE ? {} : value;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}
const REMOVE = Symbol('remove');

const PLACEHOLDER = '"\u0000deep\u0000"';
const nastyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\ud800', 'a\udfffb', '__proto__', 'constructor', '../../etc', '%00', '${jndi:x}', ''),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);
const nastyValue: fc.Arbitrary<Json | typeof REMOVE> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constant(REMOVE) },
  { weight: 1, arbitrary: fc.constantFrom(null, -1, 1e308, 0.5, true, [], {}) },
  { weight: 1, arbitrary: fc.constant(PLACEHOLDER) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }) },
);
const DEEP = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);

/** The secrets the example payloads carry, as text and as base64. */
function secretsIn(body: Json): string[] {
  const found: string[] = [];
  const related = (body as { related?: Record<string, Record<string, { data?: Record<string, string> }>> }).related ?? {};
  for (const objects of Object.values(related)) {
    for (const object of Object.values(objects)) {
      for (const [key, value] of Object.entries(object.data ?? {})) {
        if (['privateApiKey', 'password', 'clientSecret'].includes(key)) found.push(value, Buffer.from(value, 'base64').toString());
      }
    }
  }
  return found.filter((s) => s.length >= 8);
}

/** The answer less connection Secrets, which carry the password on purpose. */
function nonSecretParts(json: Record<string, unknown> | undefined): string {
  if (!json) return '';
  const children = Array.isArray(json.children) ? (json.children as Array<{ kind?: string }>).filter((c) => c?.kind !== 'Secret') : json.children;
  return JSON.stringify({ ...json, children });
}

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

t.test('hook routes survive generated payloads', async (t) => {
  t.equal(new Set(bases.map((b) => b.route)).size, allKinds().length * 4, `${bases.length} example payloads over every hook route`);
  const sim = await startSimulator({ rateLimit: false, provisionSeconds: 0 });
  const server = await startTestHookServer(allKinds(), ['--atlas-domain', sim.url, '--hook-budget', '2s']);
  t.teardown(async () => {
    await server.shutdown();
    await sim.close();
  });
  const runs = Number(process.env.FUZZ_RUNS ?? 40);
  const seed = Number(process.env.FUZZ_SEED ?? 20261201);
  const heapBefore = heapAfterGc();
  const statuses = new Map<number, number>();
  const secrets = [...new Set(bases.flatMap((b) => secretsIn(b.body)))];
  t.ok(secrets.length > 0, 'the payloads carry secrets to look for');

  for (const base of bases) {
    const targets = paths(base.body);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...targets), nastyValue), { minLength: 1, maxLength: 3 }), async (mutations) => {
        let body = base.body;
        for (const [path, value] of mutations) {
          try {
            body = withValue(body, path, value);
          } catch {
            // the path no longer exists after an earlier mutation
          }
        }
        const text = JSON.stringify(body).replace(JSON.stringify(PLACEHOLDER), DEEP);
        const res = await server.post(base.route, text);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`${base.route} answered ${res.status}: ${res.text.slice(0, 300)}`);
        if (res.status !== 200 && !(res.status === 400 && typeof res.json?.field === 'string')) {
          throw new Error(`${base.route} answered ${res.status} without naming a field: ${res.text.slice(0, 300)}`);
        }
        const exposed = nonSecretParts(res.json);
        for (const secret of secrets) if (exposed.includes(secret)) throw new Error(`${base.route}: a secret of the payload is in the answer`);
      }),
      { seed, numRuns: runs },
    );
  }
  const logs = server.logText();
  t.same(secrets.filter((s) => logs.includes(s)), [], 'no secret of any payload in any log line');
  const grown = (heapAfterGc() - heapBefore) / 1048576;
  t.comment(`${bases.length * runs} payloads; answers ${JSON.stringify(Object.fromEntries(statuses))}; heap ${grown.toFixed(1)} MiB above its start`);
  t.ok([...statuses.keys()].every((s) => s === 200 || s === 400 || s === 413 || s === 415), 'only 200s and 4xx that name their cause');
  t.ok(grown < 64, `memory came back near its start (${grown.toFixed(1)} MiB)`);
});
