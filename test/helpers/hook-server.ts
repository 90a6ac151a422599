import { Writable } from 'node:stream';
import { request } from 'undici';
import { jsonOrUndefined } from './sim.js';
import type { DecoratorKind, KindController } from '../../src/kernel/hook-kind.js';
import { createLogger } from '../../src/logging.js';
import { parseServeOptions, startHookServer, type RunningHookServer } from '../../src/server/serve.js';

export interface TestHookServer extends RunningHookServer {
  /** Every log line written so far, as raw text. */
  logText(): string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string; json: any }>;
  get(path: string): Promise<{ status: number; text: string }>;
}

export async function startTestHookServer(
  kinds: KindController[],
  args: string[] = [],
  extras: { decorators?: DecoratorKind[]; now?: () => Date } = {},
): Promise<TestHookServer> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const options = parseServeOptions(['--port', '0', '--host', '127.0.0.1', ...args], {});
  const server = await startHookServer(options, kinds, createLogger('debug', sink), extras);
  return {
    ...server,
    logText: () => lines.join(''),
    async post(path, body, headers = {}) {
      const res = await request(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, text, json: jsonOrUndefined(text) };
    },
    async get(path) {
      const res = await request(`${server.url}${path}`);
      return { status: res.statusCode, text: await res.body.text() };
    },
  };
}

export function projectParent(overrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'u-1', generation: 3 },
    spec: { name: 'Test Project' },
    ...overrides,
  };
}
