import type { Test } from 'tap';
import { request } from 'undici';
import { AtlasAdmin } from './atlas-admin.js';
import type { AtlasCredentials } from '../../src/atlas/credentials.js';
import { AtlasHttp, type AtlasHttpOptions, type CallContext } from '../../src/atlas/http.js';
import { DEMO_ORG, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.js';

export const demoKey: AtlasCredentials = {
  kind: 'apiKey',
  orgId: DEMO_ORG.id,
  publicKey: DEMO_ORG.publicKey,
  privateKey: DEMO_ORG.privateKey,
};

export const demoServiceAccount: AtlasCredentials = {
  kind: 'serviceAccount',
  orgId: DEMO_ORG.id,
  clientId: DEMO_ORG.clientId,
  clientSecret: DEMO_ORG.clientSecret,
};

export interface SimHarness {
  sim: Simulator;
  http: AtlasHttp;
  client(ctx?: Partial<CallContext>): AtlasAdmin;
  /** A raw request with no auth logic: for checking what the simulator says on the wire. */
  raw(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, any>; text: string; json: any }>;
  close(): Promise<void>;
}

export async function startSimHarness(
  t: { teardown(fn: () => unknown): void },
  simOptions: SimulatorOptions = {},
  httpOptions: Partial<AtlasHttpOptions> = {},
): Promise<SimHarness> {
  const sim = await startSimulator({ rateLimit: false, ...simOptions });
  const http = new AtlasHttp({ baseUrl: sim.url, retryBaseMs: 5, ...httpOptions });
  const harness: SimHarness = {
    sim,
    http,
    client: (ctx = {}) => new AtlasAdmin(http, { credentials: demoKey, ...ctx }),
    async raw(method, path, headers = {}, body) {
      const res = await request(`${sim.url}${path}`, { method: method as 'GET', headers, body });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text, json: jsonOrUndefined(text) };
    },
    async close() {
      await http.close();
      await sim.close();
    },
  };
  t.teardown(() => harness.close());
  return harness;
}

export function jsonOrUndefined(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Asserts the promise rejects with an error whose fields match `wanted` (tap's typings want a whole Error). */
export async function rejects(
  t: Test,
  promise: Promise<unknown>,
  wanted: Record<string, unknown>,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(error, 'rejected');
  t.match(error, wanted);
}
