/**
 * What a kind module supplies to the kernel: its identity, the related objects it needs
 * (customize), and its decisions (sync, finalize) as functions of the observed objects and
 * Atlas. Conditions, time budget, error handling, logging and metrics belong to the kernel.
 */
import type { Logger } from 'pino';
import type { ConditionSet } from './conditions.js';
import type { TimeBudget } from './budget.js';
import type { KubeObject, ObjectMap, RelatedResourceRule } from './contract.js';
import type { OperatorIdentity } from '../config/identity.js';
import type { AtlasClient } from '../atlas/client.js';
import type { AtlasCredentials } from '../atlas/credentials.js';
import type { AtlasHttp } from '../atlas/http.js';

/** Shared, request-independent services handed to every hook call. */
export interface HookEnvironment {
  identity: OperatorIdentity;
  /** The Atlas Admin API, shared by every hook call (pools, nonces, read cache). */
  atlasHttp: AtlasHttp;
  now(): Date;
}

/** Per-call counters that end up in the hook's log line. */
export interface HookStats {
  atlasCalls: number;
}

export interface HookContext {
  parent: KubeObject;
  children: ObjectMap;
  related: ObjectMap;
  conditions: ConditionSet;
  budget: TimeBudget;
  env: HookEnvironment;
  stats: HookStats;
  log: Logger;
  /** An Atlas client for these credentials, bound to this call's time budget and counters. */
  atlas(credentials: AtlasCredentials): AtlasClient;
}

export interface SyncResult {
  /** The kind's own status fields; the kernel adds conditions and observedGeneration. */
  status: object;
  /** Every child that should exist. Omitted: keep the observed children unchanged. */
  children?: KubeObject[];
  resyncAfterSeconds?: number;
}

export interface FinalizeResult extends SyncResult {
  finalized: boolean;
}

/** One write a sync would send to Atlas. */
export interface PlannedChange {
  method: string;
  path: string;
  summary: string;
}

export interface PlanResult extends SyncResult {
  changes: PlannedChange[];
}

/** What names a kind and its routes, and what it asks Metacontroller to send. */
export interface KindIdentity {
  kind: string;
  apiVersion: string;
  /** The route segment: /hooks/<route>/<hook>. */
  route: string;
  /** Depends on the parent and our identity only: Metacontroller caches it per generation. */
  customize(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[];
}

export interface KindController extends KindIdentity {
  /** The condition types its steps set (Ready aside); observed ones of other types are dropped. */
  conditionTypes: readonly string[];
  sync(ctx: HookContext): Promise<SyncResult>;
  finalize(ctx: HookContext): Promise<FinalizeResult>;
  /** What sync would write to Atlas, from reads only. */
  plan?(ctx: HookContext): Promise<PlanResult>;
}

/**
 * A DecoratorController's decisions: pure functions of the target and what Metacontroller
 * sends, with no Atlas calls, so no kernel sequence is needed around them.
 */
export interface DecoratorKind {
  /** The route segment: /hooks/<route>/<hook>. */
  route: string;
  targetKind: string;
  targetApiVersion: string;
  customize(target: KubeObject): RelatedResourceRule[];
  sync(target: KubeObject, attachments: ObjectMap, related: ObjectMap): { attachments: KubeObject[] };
  finalize(target: KubeObject, attachments: ObjectMap, related: ObjectMap): { attachments: KubeObject[]; finalized: boolean; resyncAfterSeconds?: number };
}
