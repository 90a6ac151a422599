/**
 * Kinds that hold settings for others and have no Atlas object of their own
 * (AtlasBackupSchedule, AtlasBackupPolicy, AtlasTeam): the objects that reference them apply
 * them in Atlas. Their hooks check the spec, list who uses them in status, and keep the finalizer
 * while anything still references them, so a schedule in use cannot disappear from under
 * a deployment.
 */
import type { TSchema } from '@sinclair/typebox';
import { groupKey, stringAt, type KubeObject, type ObjectMap } from '../kernel/contract.js';
import type { FinalizeResult, HookContext, KindController, PlanResult, SyncResult } from '../kernel/hook-kind.js';
import { VALIDATION } from '../kernel/managed.js';
import { waitSeconds } from '../kernel/resync.js';
import { schemaProblem } from '../kernel/validation.js';
import { API_VERSION } from './common.js';

export interface ReferencedKind {
  kind: string;
  route: string;
  spec: TSchema;
  /** The condition that says whether it is usable, and why it is not deleted yet. */
  condition: string;
  invalidReason: string;
  /** Its status, from its referrers (not being deleted). */
  status(target: KubeObject, referrers: KubeObject[]): Record<string, unknown>;
  referrer: { kind: string; resource: string; refs(object: KubeObject): Array<{ name?: string | undefined; namespace?: string | undefined }> };
  /** An informational condition set while nothing references it. */
  unreferenced?: { type: string; reason: string; message: string };
}

/** The reference at `path` of a referrer's spec, as a list of one. */
export function refAt(...path: string[]): ReferencedKind['referrer']['refs'] {
  return (object) => [{ name: stringAt(object.spec, ...path, 'name'), namespace: stringAt(object.spec, ...path, 'namespace') }];
}

/** The status that lists the referrers as namespace/name in one field. */
export function listedIn(field: string): ReferencedKind['status'] {
  return (_target, referrers) => (referrers.length > 0 ? { [field]: referrers.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort() } : {});
}

/** Every referrer (not being deleted) with a reference that names `target`, by namespace/name. */
export function referrersOf(target: KubeObject, related: ObjectMap, referrer: ReferencedKind['referrer']): KubeObject[] {
  return Object.values(related[groupKey(referrer.kind, API_VERSION)] ?? {})
    .filter((object) => !object.metadata.deletionTimestamp)
    .filter((object) => referrer.refs(object).some((ref) => ref.name === target.metadata.name && (ref.namespace || object.metadata.namespace) === target.metadata.namespace))
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}

export function referencedController(definition: ReferencedKind): KindController {
  const { referrer } = definition;
  const check = (ctx: HookContext): SyncResult => {
    const users = referrersOf(ctx.parent, ctx.related, referrer);
    const problem = schemaProblem(definition.spec, ctx.parent.spec);
    if (problem) ctx.conditions.false(VALIDATION, definition.invalidReason, problem);
    else ctx.conditions.true(VALIDATION);
    ctx.conditions.true(definition.condition);
    if (definition.unreferenced && users.length === 0) ctx.conditions.set(definition.unreferenced.type, 'True', definition.unreferenced.reason, definition.unreferenced.message);
    else if (definition.unreferenced) ctx.conditions.remove(definition.unreferenced.type);
    return { status: definition.status(ctx.parent, users) };
  };
  return {
    kind: definition.kind,
    apiVersion: API_VERSION,
    route: definition.route,
    conditionTypes: [VALIDATION, definition.condition, ...(definition.unreferenced ? [definition.unreferenced.type] : [])],
    // Referrers may be in any namespace (their reference can name one).
    customize: () => [{ apiVersion: API_VERSION, resource: referrer.resource, labelSelector: {} }],
    sync: async (ctx) => check(ctx),
    // Nothing of its own is written to Atlas; its effect shows in the plans of its referrers.
    plan: async (ctx): Promise<PlanResult> => ({ ...check(ctx), changes: [] }),
    async finalize(ctx): Promise<FinalizeResult> {
      const result = check(ctx);
      const users = referrersOf(ctx.parent, ctx.related, referrer);
      if (users.length === 0) return { ...result, finalized: true };
      const message = `in use by ${users.map((u) => `${referrer.kind} ${u.metadata.namespace}/${u.metadata.name}`).join(', ')}: it is deleted once none references it`;
      ctx.conditions.false(definition.condition, 'AtlasFinalizerNotRemoved', message);
      return { ...result, finalized: false, resyncAfterSeconds: waitSeconds('dependency') };
    },
  };
}
