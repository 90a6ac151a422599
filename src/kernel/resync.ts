/**
 * The one resync policy: every kind names why it wants to be looked at again, and this
 * table says when. Metacontroller also re-syncs on any change of the object, its children
 * or its related objects, so a wait that such a change ends needs no timer of its own.
 */
import type { Condition } from './conditions.js';

export type Wait =
  /** Atlas is doing work we started (a cluster provisioning, clusters applying a user change). */
  | 'progress'
  /** A short Atlas-side transition (an access-list entry activating, a project being deleted). */
  | 'soon'
  /** Atlas failed in a way that may pass (5xx, a read that failed). */
  | 'retry'
  /** Waiting on another object of ours (a project without an id yet). */
  | 'dependency'
  /** Atlas refused the request (4xx): only a change of spec or credentials can help. */
  | 'rejected'
  /** Waiting on Metacontroller itself (children it is still deleting). */
  | 'children'
  /** The hook's time budget ran out mid-work. */
  | 'deadline';

const SECONDS = {
  soon: 5,
  dependency: 10,
  retry: 30,
  children: 1,
  deadline: 2,
} as const satisfies Record<Exclude<Wait, 'progress' | 'rejected'>, number>;

export type FixedWait = keyof typeof SECONDS;

/** Seconds until the next look for a wait that does not lengthen. */
export function waitSeconds(wait: FixedWait): number {
  return SECONDS[wait];
}

/**
 * Seconds until the next look, or undefined for none. `progress` is often while the wait
 * is young, when most waits end, less often as it drags on; the wait's age is the
 * lastTransitionTime of the condition that reports it, so the schedule is a pure function of
 * the request.
 */
export function resyncSeconds(wait: Wait | undefined, waiting: Condition | undefined, now: Date): number | undefined {
  if (wait === undefined || wait === 'rejected') return undefined;
  if (wait !== 'progress') return SECONDS[wait];
  const startedAt = waiting?.status === 'False' && waiting.lastTransitionTime ? Date.parse(waiting.lastTransitionTime) : now.getTime();
  const elapsed = (now.getTime() - startedAt) / 1000;
  return elapsed < 120 ? 10 : elapsed < 900 ? 30 : 60;
}
