/**
 * The generic reconciler every kind runs through (crossplane-runtime's managed reconciler
 * is the model): it builds the context, runs the kind's decision inside the time budget,
 * and turns whatever happened into a complete Metacontroller response.
 *
 * On every failure path the observed status fields and the observed children (re-rendered
 * as desired state, children.ts) are returned: Metacontroller replaces status wholesale and deletes omitted children, so an
 * error must never erase an Atlas id or a connection Secret.
 */
import type { Logger } from 'pino';
import { AtlasClient } from '../atlas/client.js';
import { scrubString } from '../redact.js';
import { AtlasApiError, AtlasRateLimitedError, DeadlineExceededError } from '../atlas/errors.js';
import { TimeBudget } from './budget.js';
import { renderObservedChildren } from './children.js';
import { ConditionSet, observedConditions } from './conditions.js';
import { waitSeconds } from './resync.js';
import type { KubeObject, ObjectMap, SyncRequest, SyncResponse } from './contract.js';
import type { HookContext, HookEnvironment, KindController, SyncResult, FinalizeResult, PlanResult, PlannedChange } from './hook-kind.js';

export type HookName = 'sync' | 'finalize' | 'plan';

export type Outcome =
  | 'ready'
  | 'not_ready'
  | 'finalized'
  | 'finalizing'
  | 'rate_limited'
  | 'deadline_exceeded'
  | 'internal_error';

export interface KernelResult {
  response: SyncResponse;
  /** Only for the plan hook: the writes a sync would send. */
  changes?: PlannedChange[];
  outcome: Outcome;
  atlasCalls: number;
  error?: unknown;
}

export async function runHook(
  controller: KindController,
  hook: HookName,
  request: SyncRequest,
  env: HookEnvironment,
  budgetMs: number,
  log: Logger,
): Promise<KernelResult> {
  const parent = request.parent as KubeObject;
  const budget = new TimeBudget(budgetMs);
  const conditions = new ConditionSet(observedConditions(parent.status), env.now(), controller.conditionTypes);
  const ctx: HookContext = {
    parent,
    children: (request.children ?? {}) as ObjectMap,
    related: (request.related ?? {}) as ObjectMap,
    conditions,
    budget,
    env,
    stats: { atlasCalls: 0 },
    log,
    atlas: (credentials) =>
      new AtlasClient(env.atlasHttp, {
        credentials,
        signal: budget.signal,
        deadline: performance.now() + budget.remainingMs(),
        stats: ctx.stats,
      }),
  };
  try {
    const work = hook === 'sync' ? controller.sync(ctx) : hook === 'plan' ? planOf(controller, ctx) : controller.finalize(ctx);
    const result = await withinBudget<SyncResult | FinalizeResult | PlanResult>(work, budget);
    return {
      response: respond(ctx, result, hook === 'finalize' ? (result as FinalizeResult).finalized : undefined),
      ...(hook === 'plan' ? { changes: (result as PlanResult).changes } : {}),
      outcome: successOutcome(hook, ctx, result),
      atlasCalls: ctx.stats.atlasCalls,
    };
  } catch (error) {
    const { reason, message, resyncAfterSeconds, outcome } = describeFailure(error);
    const carried: SyncResult = { status: observedKindStatus(parent), resyncAfterSeconds };
    const stepFailed = conditions.failInProgress(controller.conditionTypes, reason, message);
    return {
      response: respond(ctx, carried, hook === 'finalize' ? false : undefined, stepFailed ? undefined : { reason, message }),
      outcome,
      atlasCalls: ctx.stats.atlasCalls,
      error,
    };
  } finally {
    budget.dispose();
  }
}

function planOf(controller: KindController, ctx: HookContext): Promise<PlanResult> {
  if (!controller.plan) throw new Error(`${controller.kind} cannot plan`);
  return controller.plan(ctx);
}

function successOutcome(hook: HookName, ctx: HookContext, result: SyncResult | FinalizeResult): Outcome {
  if (hook === 'finalize') return (result as FinalizeResult).finalized ? 'finalized' : 'finalizing';
  return ctx.conditions.firstUnmet() ? 'not_ready' : 'ready';
}

function withinBudget<T>(work: Promise<T>, budget: TimeBudget): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineExceededError('reconcile'));
    if (budget.signal.aborted) return onAbort();
    budget.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => budget.signal.removeEventListener('abort', onAbort));
  });
}

function describeFailure(error: unknown): {
  reason: string;
  message: string;
  resyncAfterSeconds: number;
  outcome: Outcome;
} {
  if (error instanceof AtlasRateLimitedError) {
    return {
      reason: 'AtlasRateLimited',
      message: error.message,
      resyncAfterSeconds: Math.max(1, Math.ceil(error.retryAfterSeconds)),
      outcome: 'rate_limited',
    };
  }
  if (error instanceof DeadlineExceededError) {
    return {
      reason: 'ReconcileInProgress',
      message: `${error.message}; continuing on the next sync`,
      resyncAfterSeconds: waitSeconds('deadline'),
      outcome: 'deadline_exceeded',
    };
  }
  if (error instanceof AtlasApiError) {
    return {
      reason: 'InternalError',
      message: error.message,
      resyncAfterSeconds: error.retryAfterSeconds ?? waitSeconds('retry'),
      outcome: 'internal_error',
    };
  }
  return {
    reason: 'InternalError',
    // An unexpected error may quote anything, a connection string included.
    message: scrubString(error instanceof Error ? error.message : String(error)),
    resyncAfterSeconds: waitSeconds('retry'),
    outcome: 'internal_error',
  };
}

/** The observed status less what the kernel recomputes. */
function observedKindStatus(parent: KubeObject): Record<string, unknown> {
  const status = parent.status;
  if (typeof status !== 'object' || status === null || Array.isArray(status)) return {};
  const { conditions: _c, observedGeneration: _g, ...rest } = status as Record<string, unknown>;
  return rest;
}

function respond(
  ctx: HookContext,
  result: SyncResult,
  finalized: boolean | undefined,
  readyOverride?: { reason: string; message: string },
): SyncResponse {
  const conditions = ctx.conditions.toList(readyOverride);
  const status: Record<string, unknown> = { ...result.status, conditions };
  const generation = ctx.parent.metadata.generation;
  // Metacontroller overwrites observedGeneration with metadata.generation; returning the
  // same value keeps our answer identical to what it stores.
  if (generation !== undefined) status.observedGeneration = generation;
  const response: SyncResponse = {
    status,
    children: result.children ?? renderObservedChildren(ctx.children),
  };
  if (result.resyncAfterSeconds !== undefined && result.resyncAfterSeconds > 0) {
    response.resyncAfterSeconds = result.resyncAfterSeconds;
  }
  if (finalized !== undefined) response.finalized = finalized;
  return response;
}
