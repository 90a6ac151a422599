/**
 * The hook payloads Metacontroller would send for the example manifests, written to
 * examples/hooks/ for `curl -d @file` (npm run generate:examples). A test keeps them true.
 *
 * Two rounds, as Metacontroller sends them: first each AtlasProject as applied (no
 * status); then, with the status the first sync answered (the project's Atlas id), the
 * project again (`…-sync-round2.json`) and its clusters and users, whose hooks need that id.
 * The first round runs against a fresh simulator with sequential ids and a fixed clock, so
 * the ids and times in the files are the same on every run, and the same as the demo's.
 */
import { writeFileSync } from 'node:fs';
import { operatorIdentity } from '../config/identity.js';
import type { KubeObject } from '../kernel/contract.js';
import { allKinds } from '../kinds/index.js';
import { createLogger } from '../logging.js';
import { parseServeOptions, startHookServer } from '../server/serve.js';
import { startSimulator } from '../sim/server.js';
import { examplesDir, loadManifests, objectMap, projectsInOrder, relatedFor } from './objects.js';

const DEMO_SIM_URL = 'http://127.0.0.1:9090';

/** The time the payloads' conditions carry. */
const GENERATED_AT = new Date('2026-01-01T00:00:00Z');

/** The answers of each project's first sync, from a fresh simulator, in the order the demo plays them. */
async function firstRoundStatus(objects: KubeObject[]): Promise<Map<string, unknown>> {
  const sim = await startSimulator({ port: 0, ids: 'sequential', provisionSeconds: 600 });
  const serve = parseServeOptions(['--port', '0', '--host', '127.0.0.1', '--atlas-domain', sim.url], {});
  const hooks = await startHookServer(serve, allKinds(), createLogger('silent'), { now: () => GENERATED_AT });
  const identity = operatorIdentity({ namespace: 'atlas-metacontroller' });
  const statuses = new Map<string, unknown>();
  try {
    for (const project of projectsInOrder(objects)) {
      const kind = allKinds().find((k) => k.kind === project.kind)!;
      const body = { controller: {}, parent: project, children: {}, related: relatedFor(kind.customize(project, identity), objects), finalizing: false };
      const res = await fetch(`${hooks.url}/hooks/${kind.route}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`sync of ${project.metadata.name} answered ${res.status}: ${await res.text()}`);
      // Atlas's URL in messages as the demo's simulator serves it, not this run's port.
      const text = (await res.text()).replaceAll(sim.url, DEMO_SIM_URL);
      statuses.set(project.metadata.uid ?? '', (JSON.parse(text) as { status: unknown }).status);
    }
  } finally {
    await hooks.shutdown();
    await sim.close();
  }
  return statuses;
}

export async function examplePayloads(): Promise<Record<string, unknown>> {
  const applied = loadManifests(examplesDir);
  const statuses = await firstRoundStatus(applied);
  const synced = applied.map((o) => (statuses.has(o.metadata.uid ?? '') ? { ...o, status: statuses.get(o.metadata.uid ?? '') } : o));
  const identity = operatorIdentity({ namespace: 'atlas-metacontroller' });
  const payloads: Record<string, unknown> = {};
  const hookPayloads = (parent: KubeObject, objects: KubeObject[], hooks: Array<'sync' | 'finalize'>, suffix = '') => {
    const kind = allKinds().find((k) => k.kind === parent.kind)!;
    const related = relatedFor(kind.customize(parent, identity), objects);
    for (const hook of hooks) {
      payloads[`${kind.route}-${parent.metadata.name}-${hook}${suffix}.json`] = { controller: {}, parent, children: objectMap([]), related, finalizing: hook === 'finalize' };
    }
  };
  for (const parent of applied) {
    const kind = allKinds().find((k) => k.kind === parent.kind);
    if (!kind) continue;
    payloads[`${kind.route}-${parent.metadata.name}-customize.json`] = { controller: {}, parent };
    if (parent.kind === 'AtlasProject') {
      hookPayloads(parent, applied, ['sync']);
      hookPayloads(synced.find((o) => o.metadata.uid === parent.metadata.uid)!, synced, ['sync'], '-round2');
      hookPayloads(synced.find((o) => o.metadata.uid === parent.metadata.uid)!, synced, ['finalize']);
    } else {
      hookPayloads(parent, synced, ['sync', 'finalize']);
    }
  }
  return payloads;
}

export function render(payload: unknown): string {
  return `${JSON.stringify(payload, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, payload] of Object.entries(await examplePayloads())) {
    writeFileSync(new URL(`hooks/${file}`, examplesDir), render(payload));
    console.log(`wrote examples/hooks/${file}`);
  }
}
