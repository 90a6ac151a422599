/**
 * What a managed kind supplies, step by step, in the shape of crossplane-runtime's
 * ExternalClient: `observe` reads Atlas and nothing else, a pure `plan` turns the spec and
 * what was observed into the writes Atlas needs and the verdict once they are done. The
 * sequence around them (sequence.ts) is the kernel's: validate → deletion policy →
 * connect → observe → plan → writes → conditions and resync.
 */
import type { TSchema } from '@sinclair/typebox';
import type { AtlasClient } from '../atlas/client.js';
import type { AtlasApiError } from '../atlas/errors.js';
import type { AtlasCredentials } from '../atlas/credentials.js';
import type { AtlasRequest } from '../atlas/http.js';
import type { OperatorIdentity } from '../config/identity.js';
import type { Condition } from './conditions.js';
import type { KubeObject, ObjectMap } from './contract.js';
import type { KindIdentity } from './hook-kind.js';
import type { SecretRef } from './credentials.js';
import type { FixedWait, Wait } from './resync.js';

/** The condition of the first step of every kind: is the spec one we can act on. */
export const VALIDATION = 'ValidationSucceeded';

/** The annotation that keeps the Atlas object when the Kubernetes one is deleted. */
export const RESOURCE_POLICY_ANNOTATION = 'mongodb.com/atlas-resource-policy';

/** The request as the kinds see it: everything a decision may depend on besides Atlas. */
export interface Facts {
  parent: KubeObject;
  children: ObjectMap;
  related: ObjectMap;
  identity: OperatorIdentity;
  now: Date;
  /** A condition as the request carried it, before this call changed anything. */
  observed(type: string): Condition | undefined;
}

export interface Problem {
  reason: string;
  message: string;
  wait?: Wait;
}

export type Validation<Spec> = { ok: true; spec: Spec } | ({ ok: false } & Problem);

/** Credentials found and allowed to act, and what the steps need to know about where. */
export interface Connection<Scope> {
  credentials: AtlasCredentials;
  secret: SecretRef;
  scope: Scope;
}

export type Connect<Spec, Scope> = (
  facts: Facts,
  spec: Partial<Spec>,
) => { ok: true; connection: Connection<Scope> } | ({ ok: false; /** Said on finalize, where it says more than the message. */ deleteMessage?: string } & Problem);

/** One Atlas write, as data: the kernel sends it, and `plan` shows it. */
export interface AtlasWrite {
  verb: 'create' | 'update' | 'delete';
  request: AtlasRequest;
  /** What it changes, in a user's words. */
  summary: string;
  /** Atlas error codes that mean the write's effect is already there (the object is gone). */
  alreadyDone?: readonly string[];
  /** The code meaning someone created it first (another replica, a lost answer): observe again and adopt it. */
  alreadyExists?: string;
}

export interface StepInput<Spec, Scope> {
  facts: Facts;
  spec: Spec;
  /** What the earlier steps found (a project id, a user's clusters). */
  scope: Scope;
  /** The kind's status fields so far. */
  status: Readonly<Record<string, unknown>>;
  /** Planning only: nothing is written, and what the writes would have answered is unknown. */
  dryRun: boolean;
}

export type ConditionOutcome = { status: 'True' } | { status: 'False'; reason: string; message: string };

export interface Verdict<Scope> {
  /** Absent: the spec does not ask for this step, so its condition goes (as the official operator unsets it). */
  condition: ConditionOutcome | { status: 'Absent' };
  /** The condition type, when not the step's own. */
  type?: string;
  /** Status fields to set; an undefined value removes the field. */
  status?: Record<string, unknown>;
  scope?: Partial<Scope>;
  /** Every child that should exist; omitted keeps the observed children. */
  children?: KubeObject[];
  wait?: Wait;
}

export interface StepPlan<Scope> {
  writes: AtlasWrite[];
  /** Status fields that hold whether or not the writes succeed (what observe showed). */
  status?: Record<string, unknown>;
  /** The verdict once the writes are done, from their answers (undefined when planning). */
  settle(answers: readonly unknown[] | undefined): Verdict<Scope>;
}

export interface Step<Spec, Scope, Observed = unknown> {
  name: string;
  condition: string;
  /** The reason of a failed write, by verb, in the official operator's words. */
  reasons: Record<AtlasWrite['verb'], string>;
  /** Reads only: the client refuses anything else. */
  observe(input: StepInput<Spec, Scope>, atlas: AtlasClient): Promise<Observed>;
  plan(input: StepInput<Spec, Scope>, observed: Observed): StepPlan<Scope>;
}

export type Removal =
  | { gone: true }
  | { gone: false; reason?: string; message: string; wait: Wait; /** Add how to release the object without deleting in Atlas. */ keepHint?: boolean };

export interface RemovalPlan {
  writes: AtlasWrite[];
  /** After the writes, observe and plan once more: Atlas removes this at once. */
  confirm?: boolean;
  settle(answers: readonly unknown[] | undefined): Removal;
}

export interface RemovalInput<Spec, Scope> {
  facts: Facts;
  /** Unvalidated: a broken spec must not keep an object from being deleted. */
  spec: Partial<Spec>;
  scope: Scope;
  status: Readonly<Record<string, unknown>>;
  /** Second look, after the writes of the first. */
  confirming: boolean;
}

export interface Deletion<Spec, Scope, Observed = unknown> {
  /** The Atlas object, as messages name it: "the Atlas project". */
  noun: string;
  /** Objects of ours that must be deleted first, named; pure. */
  blockers?(facts: Facts): string[];
  observe(input: RemovalInput<Spec, Scope>, atlas: AtlasClient): Promise<Observed>;
  plan(input: RemovalInput<Spec, Scope>, observed: Observed): RemovalPlan;
  /** An Atlas error that proves the object gone (its project is gone for sure). */
  goneOn?(error: AtlasApiError, input: RemovalInput<Spec, Scope>, atlas: AtlasClient): Promise<boolean>;
}

export interface ManagedKind<Spec, Scope> extends KindIdentity {
  /** Where connection problems and finalizer messages are reported. */
  readyCondition: string;
  /** Every condition type the steps set (Ready and ValidationSucceeded aside). */
  conditionTypes: readonly string[];
  validate(facts: Facts): Validation<Spec>;
  /** The spec's schema: fields it does not define are reported, never acted on. */
  specSchema: TSchema;
  /** The kind's own status fields, carried from the observed status. */
  observedStatus(parent: KubeObject): Record<string, unknown>;
  connect: Connect<Spec, Scope>;
  steps: ReadonlyArray<Step<Spec, Scope, any>>;
  deletion: Deletion<Spec, Scope, any>;
  /** Whether finalize may say finalized once Atlas holds nothing (or the object is kept). */
  released?(facts: Facts): { finalized: true } | { finalized: false; wait: FixedWait };
}

/** The one way a kind names a step, so its Observed type is inferred. */
export function step<Spec, Scope, Observed>(definition: Step<Spec, Scope, Observed>): Step<Spec, Scope, Observed> {
  return definition;
}
