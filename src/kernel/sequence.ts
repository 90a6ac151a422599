/**
 * The managed-resource sequence, owned here so every kind gets it the same way (the shape
 * of crossplane-runtime's managed reconciler):
 *
 *   sync:     validate → connect → for each step: observe → plan → writes → verdict
 *   finalize: keep policy → blockers → connect → observe → plan → writes (→ confirm)
 *   plan:     sync's sequence with the writes listed instead of sent
 *
 * The kernel decides what a failed read or write means (the step's condition False with
 * the official reason, and the resync policy in resync.ts), and what a finalizer may say;
 * kinds only decide.
 */
import { AtlasApiError } from '../atlas/errors.js';
import type { AtlasClient } from '../atlas/client.js';
import type { Condition } from './conditions.js';
import type { KubeObject } from './contract.js';
import type { FinalizeResult, HookContext, KindController, PlanResult, PlannedChange, SyncResult } from './hook-kind.js';
import {
  RESOURCE_POLICY_ANNOTATION,
  VALIDATION,
  type AtlasWrite,
  type Facts,
  type ManagedKind,
  type Step,
  type StepInput,
  type StepPlan,
  type Verdict,
  type RemovalInput,
} from './managed.js';
import { resyncSeconds, waitSeconds, type Wait } from './resync.js';
import { FIELDS_MANAGED, NOT_SUPPORTED, unmanagedFields, unmanagedMessage } from './unmanaged.js';

export function managedController<Spec, Scope>(kind: ManagedKind<Spec, Scope>): KindController {
  const sequence = { kind, laterConditions: laterConditions(kind.steps) };
  return {
    kind: kind.kind,
    apiVersion: kind.apiVersion,
    route: kind.route,
    conditionTypes: [VALIDATION, ...kind.conditionTypes, FIELDS_MANAGED],
    customize: kind.customize,
    sync: (ctx) => reconcile(sequence, ctx, false),
    plan: (ctx) => reconcile(sequence, ctx, true),
    finalize: (ctx) => finalize(kind, ctx),
  };
}

/**
 * For each step, the conditions later steps report on: a condition two steps share is True
 * only once the last of them is done. Worked out once per kind, not on every sync.
 */
function laterConditions(steps: readonly { condition: string }[]): ReadonlySet<string>[] {
  return steps.map((_, index) => new Set(steps.slice(index + 1).map((later) => later.condition)));
}

function factsOf(ctx: HookContext): Facts {
  return {
    parent: ctx.parent,
    children: ctx.children,
    related: ctx.related,
    identity: ctx.env.identity,
    now: ctx.env.now(),
    observed: (type) => ctx.conditions.observedCondition(type),
  };
}

/** The earliest of the waits asked for, in seconds. */
class Resync {
  private seconds: number | undefined;
  constructor(private readonly now: Date) {}
  add(wait: Wait | undefined, waiting: Condition | undefined): void {
    const seconds = resyncSeconds(wait, waiting, this.now);
    if (seconds !== undefined && (this.seconds === undefined || seconds < this.seconds)) this.seconds = seconds;
  }
  get value(): { resyncAfterSeconds?: number } {
    return this.seconds === undefined ? {} : { resyncAfterSeconds: this.seconds };
  }
}

function patch(status: Record<string, unknown>, fields: Record<string, unknown> | undefined): void {
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) delete status[key];
    else status[key] = value;
  }
}

function describe(write: AtlasWrite): PlannedChange {
  return { method: write.request.method, path: decodeURIComponent(write.request.path), summary: write.summary };
}

/** Someone else created it between our read and our create. */
class AlreadyExists extends Error {}

async function send(atlas: AtlasClient, write: AtlasWrite): Promise<unknown> {
  try {
    return await atlas.send(write.request);
  } catch (error) {
    if (error instanceof AtlasApiError && write.alreadyDone && error.is(...write.alreadyDone)) return undefined;
    if (error instanceof AtlasApiError && write.alreadyExists && error.is(write.alreadyExists)) throw new AlreadyExists();
    throw new WriteFailed(write, error);
  }
}

class WriteFailed extends Error {
  constructor(
    readonly write: AtlasWrite,
    readonly error: unknown,
  ) {
    super('write failed');
  }
}

const rejected = (error: AtlasApiError) => error.httpStatus >= 400 && error.httpStatus < 500;

async function reconcile<Spec, Scope>(
  { kind, laterConditions }: { kind: ManagedKind<Spec, Scope>; laterConditions: ReadonlySet<string>[] },
  ctx: HookContext,
  dryRun: boolean,
): Promise<PlanResult> {
  const facts = factsOf(ctx);
  const status = kind.observedStatus(ctx.parent);
  const changes: PlannedChange[] = [];
  const resync = new Resync(facts.now);
  const unmanaged = unmanagedFields(kind.specSchema, ctx.parent.spec);
  if (unmanaged.length > 0) ctx.conditions.set(FIELDS_MANAGED, 'Unknown', NOT_SUPPORTED, unmanagedMessage(unmanaged));
  else ctx.conditions.remove(FIELDS_MANAGED);
  const check = kind.validate(facts);
  if (!check.ok) {
    // Nothing to retry until the spec changes, and a spec change syncs again.
    ctx.conditions.false(VALIDATION, check.reason, check.message);
    resync.add(check.wait, undefined);
    return { status, changes, ...resync.value };
  }
  ctx.conditions.true(VALIDATION);
  const link = kind.connect(facts, check.spec);
  if (!link.ok) {
    ctx.conditions.false(kind.readyCondition, link.reason, link.message);
    resync.add(link.wait, undefined);
    return { status, changes, ...resync.value };
  }
  const writer = ctx.atlas(link.connection.credentials);
  const reader = writer.reads();
  let scope = link.connection.scope;
  let children: SyncResult['children'];
  for (let index = 0; index < kind.steps.length; index++) {
    const current = kind.steps[index]!;
    const input: StepInput<Spec, Scope> = { facts, spec: check.spec, scope, status, dryRun };
    const verdict = await runStep(current, input, reader, writer, changes);
    const type = verdict.type ?? current.condition;
    // Until the last step on a shared condition is done, a failure the kernel reports
    // (budget, rate limit) must still land on it.
    const sharedLater = laterConditions[index]!.has(type);
    if (verdict.condition.status === 'Absent') ctx.conditions.remove(type);
    else if (verdict.condition.status === 'True') {
      if (!sharedLater) ctx.conditions.true(type);
    } else ctx.conditions.false(type, verdict.condition.reason, verdict.condition.message);
    patch(status, verdict.status);
    if (verdict.scope) scope = { ...scope, ...verdict.scope };
    if (verdict.children) children = verdict.children;
    resync.add(verdict.wait, ctx.conditions.get(type));
    if (verdict.condition.status === 'False') break;
  }
  return { status, changes, ...(children ? { children } : {}), ...resync.value };
}

async function runStep<Spec, Scope>(
  current: Step<Spec, Scope>,
  input: StepInput<Spec, Scope>,
  reader: AtlasClient,
  writer: AtlasClient,
  changes: PlannedChange[],
): Promise<Verdict<Scope>> {
  // The observe and plan run inline, not in a helper: an async layer per step per sync is
  // what a steady sync allocates most (bench: allocation sampling of serve).
  for (let attempt = 0; ; attempt++) {
    let plan: StepPlan<Scope>;
    try {
      plan = current.plan(input, await current.observe(input, reader));
    } catch (error) {
      // A failed read is not a failed create: it is reported as what it was.
      if (!(error instanceof AtlasApiError)) throw error;
      return failed('InternalError', error, 'retry');
    }
    if (input.dryRun) {
      changes.push(...plan.writes.map(describe));
      return withStatus(plan.settle(undefined), plan.status);
    }
    try {
      const answers = [];
      for (const write of plan.writes) answers.push(await send(writer, write));
      return withStatus(plan.settle(answers), plan.status);
    } catch (error) {
      // Someone created it between our read and our create: adopt it, observing again.
      if (error instanceof AlreadyExists && attempt === 0) continue;
      if (!(error instanceof WriteFailed)) throw error;
      if (!(error.error instanceof AtlasApiError)) throw error.error;
      const verdict = failed(current.reasons[error.write.verb], error.error, rejected(error.error) ? 'rejected' : 'retry');
      return withStatus(verdict, plan.status);
    }
  }
}

function failed<Scope>(reason: string, error: AtlasApiError, wait: Wait): Verdict<Scope> {
  return { condition: { status: 'False', reason, message: error.message }, wait };
}

function withStatus<Scope>(verdict: Verdict<Scope>, before: Record<string, unknown> | undefined): Verdict<Scope> {
  return before ? { ...verdict, status: { ...before, ...verdict.status } } : verdict;
}

async function finalize<Spec, Scope>(kind: ManagedKind<Spec, Scope>, ctx: HookContext): Promise<FinalizeResult> {
  const facts = factsOf(ctx);
  const status = kind.observedStatus(ctx.parent);
  // Children of an object being deleted go first, whatever happens in Atlas.
  const children: KubeObject[] = [];
  const { deletion } = kind;
  const keepHint = `add the annotation ${RESOURCE_POLICY_ANNOTATION}: keep to release the ${kind.kind} and leave ${deletion.noun} in Atlas`;
  const waiting = (reason: string, message: string, wait: Wait): FinalizeResult => {
    ctx.conditions.false(kind.readyCondition, reason, message);
    const seconds = resyncSeconds(wait, ctx.conditions.get(kind.readyCondition), facts.now);
    return { status, children, finalized: false, ...(seconds ? { resyncAfterSeconds: seconds } : {}) };
  };
  const released = (): FinalizeResult => {
    const answer = kind.released?.(facts) ?? { finalized: true };
    if (answer.finalized) return { status, children, finalized: true };
    return { status, children, finalized: false, resyncAfterSeconds: waitSeconds(answer.wait) };
  };

  if (ctx.parent.metadata.annotations?.[RESOURCE_POLICY_ANNOTATION] === 'keep') return released();
  // Objects that find their credentials through this one could never be finalized after it.
  const blockers = deletion.blockers?.(facts) ?? [];
  if (blockers.length > 0) {
    return waiting('AtlasFinalizerNotRemoved', `waiting for ${blockers.join(', ')} to be deleted first; ${deletion.noun} is deleted after them`, 'progress');
  }
  const spec = (ctx.parent.spec ?? {}) as Partial<Spec>;
  const link = kind.connect(facts, spec);
  if (!link.ok) return waiting('AtlasFinalizerNotRemoved', `${link.deleteMessage ?? `${link.message}: ${deletion.noun} cannot be deleted`}; ${keepHint}`, 'retry');
  const writer = ctx.atlas(link.connection.credentials);
  const reader = writer.reads();
  const input: RemovalInput<Spec, Scope> = { facts, spec, scope: link.connection.scope, status, confirming: false };
  try {
    let plan = deletion.plan(input, await deletion.observe(input, reader));
    const answers = [];
    for (const write of plan.writes) answers.push(await send(writer, write));
    if (plan.confirm && plan.writes.length > 0) {
      const again = { ...input, confirming: true };
      plan = deletion.plan(again, await deletion.observe(again, reader));
    }
    const removal = plan.settle(answers);
    if (removal.gone) return released();
    return waiting(removal.reason ?? 'AtlasFinalizerNotRemoved', removal.keepHint ? `${removal.message}; ${keepHint}` : removal.message, removal.wait);
  } catch (thrown) {
    const error = thrown instanceof WriteFailed ? thrown.error : thrown;
    if (!(error instanceof AtlasApiError)) throw error;
    if (await deletion.goneOn?.(error, input, reader)) return released();
    const { secret } = link.connection;
    if (error.httpStatus === 401 || error.httpStatus === 403) {
      return waiting('AtlasFinalizerNotRemoved', `Atlas refused the credentials in Secret ${secret.namespace}/${secret.name} (${error.message}); ${keepHint}`, 'retry');
    }
    return waiting('AtlasFinalizerNotRemoved', error.message, 'retry');
  }
}
