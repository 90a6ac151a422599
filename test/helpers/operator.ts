/**
 * The whole path a user's object takes, minus Kubernetes: the hook server (all kinds,
 * real HTTP) against the simulator, and a driver that plays Metacontroller's part —
 * it posts the hook and writes the returned status back onto the object.
 */
import type { Test } from 'tap';
import { allDecorators, allKinds } from '../../src/kinds/index.js';
import { DEMO_ORG, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.js';
import { startTestHookServer, type TestHookServer } from './hook-server.js';

export type Obj = Record<string, any>;

const b64 = (value: string) => Buffer.from(value).toString('base64');

export function secret(namespace: string, name: string, values: Record<string, string>, labels?: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
  };
}

export const demoCredentials = { orgId: DEMO_ORG.id, publicApiKey: DEMO_ORG.publicKey, privateApiKey: DEMO_ORG.privateKey };

/** Metacontroller's v2 map: "Kind.apiVersion" → "namespace/name" → object. */
export function objectMap(...objects: Obj[]): Record<string, Record<string, Obj>> {
  const map: Record<string, Record<string, Obj>> = {};
  for (const o of objects) {
    const group = `${o.kind}.${o.apiVersion}`;
    (map[group] ??= {})[`${o.metadata.namespace}/${o.metadata.name}`] = o;
  }
  return map;
}

export interface Operator {
  sim: Simulator;
  hooks: TestHookServer;
  /** POST a hook; on 200 the returned status is written back, as Metacontroller does. */
  sync(kind: string, parent: Obj, related?: Obj[], children?: Obj[]): Promise<Obj>;
  finalize(kind: string, parent: Obj, related?: Obj[], children?: Obj[]): Promise<Obj>;
  customize(kind: string, parent: Obj): Promise<Obj>;
  /** Requests per method and route the simulator saw that were not GETs. */
  writes(): number;
}

export async function startOperator(t: Test, simOptions: SimulatorOptions = {}, hookArgs: string[] = []): Promise<Operator> {
  const sim = await startSimulator({ rateLimit: false, provisionSeconds: 30, ...simOptions });
  const hooks = await startTestHookServer(allKinds(), ['--atlas-domain', sim.url, '--operator-namespace', 'atlas-system', ...hookArgs], {
    decorators: allDecorators(),
    // One clock: the hooks see the time the simulator's clock, which tests advance, says.
    now: () => new Date(sim.control.now()),
  });
  t.teardown(async () => {
    await hooks.shutdown();
    await sim.close();
  });
  const call = async (hook: string, kind: string, parent: Obj, related: Obj[], children: Obj[]) => {
    const res = await hooks.post(`/hooks/${kind}/${hook}`, {
      controller: {},
      parent,
      related: objectMap(...related),
      children: objectMap(...children),
      finalizing: hook === 'finalize',
    });
    if (res.status !== 200) throw new Error(`${hook} answered ${res.status}: ${res.text}`);
    parent.status = res.json.status;
    return { ...res.json, text: res.text };
  };
  return {
    sim,
    hooks,
    sync: (kind, parent, related = [], children = []) => call('sync', kind, parent, related, children),
    finalize: (kind, parent, related = [], children = []) => call('finalize', kind, parent, related, children),
    customize: async (kind, parent) => (await hooks.post(`/hooks/${kind}/customize`, { controller: {}, parent })).json,
    writes: () =>
      Object.entries(sim.control.requestCounts())
        .filter(([key]) => !key.startsWith('GET '))
        .reduce((sum, [, count]) => sum + count.authenticated, 0),
  };
}

export function conditionsOf(obj: Obj): Record<string, { status: string; reason?: string; message?: string }> {
  return Object.fromEntries((obj.status?.conditions ?? []).map((c: Obj) => [c.type, c]));
}
