/** Facts and step inputs for unit tests of the kinds' pure plans: no server, no simulator. */
import type { Condition } from '../../src/kernel/conditions.js';
import type { KubeObject, ObjectMap } from '../../src/kernel/contract.js';
import type { Facts, RemovalInput, StepInput } from '../../src/kernel/managed.js';

export const NOW = new Date('2026-12-01T12:00:00Z');

export function facts(parent: Partial<KubeObject> & Record<string, unknown>, extra: { related?: ObjectMap; children?: ObjectMap; conditions?: Condition[]; now?: Date } = {}): Facts {
  const full = { apiVersion: 'atlas.mongodb.com/v1', kind: 'Test', metadata: { name: 'p', namespace: 'team-a' }, ...parent } as KubeObject;
  return {
    parent: full,
    children: extra.children ?? {},
    related: extra.related ?? {},
    identity: { namespace: 'atlas-system', deploymentName: 'atlas-metacontroller', globalSecretName: 'atlas-metacontroller-api-key' },
    now: extra.now ?? NOW,
    observed: (type) => extra.conditions?.find((c) => c.type === type),
  };
}

export function input<Spec, Scope>(f: Facts, spec: Spec, scope: Scope, status: Record<string, unknown> = {}, dryRun = false): StepInput<Spec, Scope> {
  return { facts: f, spec, scope, status, dryRun };
}

export function removal<Spec, Scope>(f: Facts, spec: Partial<Spec>, scope: Scope, status: Record<string, unknown> = {}, confirming = false): RemovalInput<Spec, Scope> {
  return { facts: f, spec, scope, status, confirming };
}

export const condition = (type: string, status: 'True' | 'False', lastTransitionTime = '2026-12-01T11:59:00Z'): Condition => ({ type, status, lastTransitionTime });
