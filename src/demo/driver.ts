/**
 * Plays Metacontroller's part against a hook server, for the demo and the examples:
 * customize, then sync (or finalize) with the returned status written back, round after
 * round, moving the simulator's clock forward by resyncAfterSeconds instead of waiting.
 */
import { request } from 'undici';
import type { Condition } from '../kernel/conditions.js';
import type { KubeObject, RelatedResourceRule } from '../kernel/contract.js';
import { objectMap, relatedFor } from './objects.js';

export interface HookPayload {
  controller: Record<string, unknown>;
  parent: KubeObject;
  children: ReturnType<typeof objectMap>;
  related: ReturnType<typeof objectMap>;
  finalizing: boolean;
}

export interface DriverOptions {
  hooksUrl: string;
  /** Every object the "cluster" holds: parents, Secrets. */
  objects: KubeObject[];
  /** Called with the simulated seconds to skip before the next round. */
  advance(seconds: number): void;
  print(line: string): void;
}

const routeOf = (o: KubeObject) => o.kind.toLowerCase();

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${text}`);
  return JSON.parse(text) as T;
}

export class MetacontrollerDriver {
  /** Each parent's children as the last answer asked for them (Metacontroller creates them). */
  private readonly children = new Map<string, KubeObject[]>();

  constructor(private readonly options: DriverOptions) {}

  childrenOf(parent: KubeObject): KubeObject[] {
    return this.children.get(parent.metadata.uid ?? '') ?? [];
  }

  async payload(parent: KubeObject, hook: 'sync' | 'finalize'): Promise<HookPayload> {
    const { relatedResources } = await post<{ relatedResources: RelatedResourceRule[] }>(
      `${this.options.hooksUrl}/hooks/${routeOf(parent)}/customize`,
      { controller: {}, parent },
    );
    return { controller: {}, parent, children: objectMap(this.childrenOf(parent)), related: relatedFor(relatedResources, this.options.objects), finalizing: hook === 'finalize' };
  }

  /** Sync until Ready, or until nothing is scheduled, or `rounds` run out; prints each change. */
  async reconcile(parent: KubeObject, rounds = 100): Promise<KubeObject> {
    let previous = '';
    let simulated = 0;
    for (let round = 1; round <= rounds; round++) {
      const response = await post<{ status: Record<string, unknown>; children: KubeObject[]; resyncAfterSeconds?: number }>(
        `${this.options.hooksUrl}/hooks/${routeOf(parent)}/sync`,
        await this.payload(parent, 'sync'),
      );
      parent.status = response.status;
      this.children.set(parent.metadata.uid ?? '', response.children);
      const summary = describe(parent);
      if (summary !== previous) {
        this.options.print(`${parent.kind} ${parent.metadata.namespace}/${parent.metadata.name} (sync ${round}, +${simulated}s): ${summary}`);
      }
      previous = summary;
      const ready = conditions(parent).find((c) => c.type === 'Ready')?.status === 'True';
      if (ready || !response.resyncAfterSeconds) break;
      this.options.advance(response.resyncAfterSeconds);
      simulated += response.resyncAfterSeconds;
    }
    return parent;
  }
}

export function conditions(object: KubeObject): Condition[] {
  return ((object.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
}

function describe(object: KubeObject): string {
  return conditions(object)
    .map((c) => `${c.type}=${c.status}${c.status !== 'True' && c.type !== 'Ready' && c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`)
    .join('  ');
}
