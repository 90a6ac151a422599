/**
 * Conditions in the official operator's shape ({type, status, lastTransitionTime, reason,
 * message}; no per-condition observedGeneration) and its protocol: one sub-condition per
 * reconcile step, Ready=True only when every sub-condition is True.
 *
 * Output must be a pure function of the request so that Metacontroller sees no change and
 * stops: lastTransitionTime is carried over from the observed condition unless its status
 * flips, and conditions keep the observed order.
 *
 * The set holds only the types its kind owns: a type left by another operator (the
 * official one's ProjectTeamsReady on a migrated object) would hold Ready False forever
 * with nothing to ever clear it, so it is dropped. Everything is linear in the number of
 * observed conditions, which a hostile or broken object can make large.
 */
import { FIELDS_MANAGED } from './unmanaged.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export const READY = 'Ready';

/** Conditions that inform and never hold Ready (fields kept but not managed). */
const INFORMATIONAL = new Set([FIELDS_MANAGED]);

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isCondition(value: unknown): value is Condition {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.type === 'string' && typeof c.status === 'string';
}

export function observedConditions(status: unknown): Condition[] {
  const list = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? list.filter(isCondition) : [];
}

export class ConditionSet {
  private readonly observed = new Map<string, Condition>();
  private readonly current = new Map<string, Condition>();
  /** Position of each observed type, so the output keeps the observed order. */
  private readonly rank = new Map<string, number>();
  /** Types set during this call, as opposed to carried over from the observed status. */
  private readonly touched = new Set<string>();
  private readonly now: string;

  constructor(observed: Condition[], now: Date, owned: readonly string[]) {
    const types = new Set([READY, ...owned]);
    for (const c of observed) {
      if (!types.has(c.type) || this.observed.has(c.type)) continue;
      this.observed.set(c.type, c);
      this.rank.set(c.type, this.rank.size);
      // Sub-conditions of steps that did not run this time keep their last known state, as
      // in the official operator; Ready is always recomputed.
      if (c.type !== READY) this.current.set(c.type, c);
    }
    this.now = kubeTime(now);
  }

  set(type: string, status: ConditionStatus, reason?: string, message?: string): this {
    const before = this.observed.get(type);
    const lastTransitionTime =
      before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : this.now;
    const condition: Condition = { type, status, lastTransitionTime };
    if (reason) condition.reason = reason;
    if (message) condition.message = message;
    this.current.set(type, condition);
    this.touched.add(type);
    return this;
  }

  /**
   * A failure outside the kind's own handling (budget, rate limit, an unexpected error)
   * belongs to the step that was running: the first of `steps` not set in this call. It
   * turns False with the failure, so Ready=False always points at a False step, as in the
   * official protocol. False when every step had already been set.
   */
  failInProgress(steps: readonly string[], reason: string, message: string): boolean {
    const running = steps.find((type) => !this.touched.has(type) && !INFORMATIONAL.has(type));
    if (!running) return false;
    this.false(running, reason, message);
    return true;
  }

  true(type: string): this {
    return this.set(type, 'True');
  }

  false(type: string, reason: string, message?: string): this {
    return this.set(type, 'False', reason, message);
  }

  remove(type: string): this {
    this.current.delete(type);
    // Decided in this call, as much as set: a later failure belongs to a later step.
    this.touched.add(type);
    return this;
  }

  get(type: string): Condition | undefined {
    return this.current.get(type);
  }

  /** The condition as the request carried it, whatever this call has set since. */
  observedCondition(type: string): Condition | undefined {
    return this.observed.get(type);
  }

  /** The first sub-condition that is not True, in output order. */
  firstUnmet(): Condition | undefined {
    for (const c of this.current.values()) if (c.type !== READY && c.status !== 'True' && !INFORMATIONAL.has(c.type)) return c;
    return undefined;
  }

  /**
   * The final list: Ready first, then the sub-conditions. Ready=False repeats the reason and
   * message of the first unmet step so `kubectl describe` shows why at a glance. A failure
   * outside any step (time budget, rate limit) overrides Ready with its own reason.
   */
  toList(readyOverride?: { reason: string; message: string }): Condition[] {
    const unmet = readyOverride ?? this.firstUnmet();
    if (unmet) this.set(READY, 'False', unmet.reason, unmet.message);
    else this.set(READY, 'True');
    const ready = this.current.get(READY)!;
    const rest = [...this.current.values()].filter((c) => c.type !== READY);
    const rank = (type: string) => this.rank.get(type) ?? Number.MAX_SAFE_INTEGER;
    rest.sort((a, b) => rank(a.type) - rank(b.type));
    return [ready, ...rest];
  }
}
