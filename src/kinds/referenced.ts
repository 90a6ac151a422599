/**
 * Kinds that hold settings for others and have no Atlas object of their own
 * (AtlasBackupSchedule, AtlasBackupPolicy): the objects that reference them apply them in
 * Atlas. Their hooks check the spec, list who uses them in status, and keep the finalizer
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
  /** The status field that lists the referrers, as namespace/name. */
  usedBy: string;
  referrer: { kind: string; resource: string; ref: readonly string[] };
}

/** namespace/name of every referrer (not being deleted) whose reference names `target`. */
export function referrersOf(target: KubeObject, related: ObjectMap, referrer: ReferencedKind['referrer']): string[] {
  return Object.values(related[groupKey(referrer.kind, API_VERSION)] ?? {})
    .filter((object) => !object.metadata.deletionTimestamp)
    .filter((object) => {
      const name = stringAt(object.spec, ...referrer.ref, 'name');
      const namespace = stringAt(object.spec, ...referrer.ref, 'namespace') || object.metadata.namespace;
      return name === target.metadata.name && namespace === target.metadata.namespace;
    })
    .map((object) => `${object.metadata.namespace}/${object.metadata.name}`)
    .sort();
}

export function referencedController(definition: ReferencedKind): KindController {
  const { referrer } = definition;
  const check = (ctx: HookContext): SyncResult => {
    const users = referrersOf(ctx.parent, ctx.related, referrer);
    const problem = schemaProblem(definition.spec, ctx.parent.spec);
    if (problem) ctx.conditions.false(VALIDATION, definition.invalidReason, problem);
    else ctx.conditions.true(VALIDATION);
    ctx.conditions.true(definition.condition);
    return { status: users.length > 0 ? { [definition.usedBy]: users } : {} };
  };
  return {
    kind: definition.kind,
    apiVersion: API_VERSION,
    route: definition.route,
    conditionTypes: [VALIDATION, definition.condition],
    // Referrers may be in any namespace (their reference can name one).
    customize: () => [{ apiVersion: API_VERSION, resource: referrer.resource, labelSelector: {} }],
    sync: async (ctx) => check(ctx),
    // Nothing of its own is written to Atlas; its effect shows in the plans of its referrers.
    plan: async (ctx): Promise<PlanResult> => ({ ...check(ctx), changes: [] }),
    async finalize(ctx): Promise<FinalizeResult> {
      const result = check(ctx);
      const users = referrersOf(ctx.parent, ctx.related, referrer);
      if (users.length === 0) return { ...result, finalized: true };
      const message = `in use by ${users.map((u) => `${referrer.kind} ${u}`).join(', ')}: it is deleted once none references it`;
      ctx.conditions.false(definition.condition, 'AtlasFinalizerNotRemoved', message);
      return { ...result, finalized: false, resyncAfterSeconds: waitSeconds('dependency') };
    },
  };
}
