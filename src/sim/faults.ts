/** Faults injected through the control plane, and request counts per route. */
import { Type, type Static } from '@sinclair/typebox';

/** A fault the control plane injects; validated by this schema before it is stored. */
export const FaultSpec = Type.Object(
  {
    /** A route template as registered, e.g. /api/atlas/v2/groups/:groupId/clusters/:clusterName; '*' for any. */
    route: Type.String({ minLength: 1, maxLength: 500 }),
    method: Type.Optional(Type.Union(['GET', 'POST', 'PATCH', 'DELETE', '*'].map((m) => Type.Literal(m)))),
    kind: Type.Union(['latency', 'error', 'rate-limit', 'reset', 'hang'].map((k) => Type.Literal(k))),
    /** For 'error': the HTTP status (default 500)… */
    status: Type.Optional(Type.Union([400, 401, 403, 404, 409, 500, 502, 503, 504].map((c) => Type.Literal(c)))),
    /** …and the Atlas errorCode (default: Atlas's own for 500 and 503, UNEXPECTED_ERROR else), e.g. GROUP_NOT_FOUND. */
    errorCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,63}$' })),
    latencyMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
    retryAfterSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    /** How many matching requests it applies to; default 1. */
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type FaultSpec = Static<typeof FaultSpec>;

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export interface RouteCount {
  /** Every request, 401 challenges included: HTTP round trips. */
  requests: number;
  /** Requests that passed authentication: API calls that reached the resource. */
  authenticated: number;
}

/**
 * Paths no route matched are counted each under its own path, so a client calling one the
 * simulator lacks shows which, but only so many: each distinct path would be an entry.
 */
export const UNMATCHED_PATHS_COUNTED = 1_000;

export class FaultsAndCounts {
  private faults: ActiveFault[] = [];
  private counts = new Map<string, RouteCount>();
  private unmatchedPaths = 0;

  inject(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.count ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault for this request, consumed; undefined when none applies. */
  take(method: string, route: string): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.route === '*' || f.route === route) && (!f.method || f.method.toUpperCase() === method),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  /** `route` is the matched template, or the path when `matched` is false. */
  count(method: string, route: string, field: keyof RouteCount, matched = true): void {
    let key = `${method} ${route}`;
    let entry = this.counts.get(key);
    if (!entry && !matched) {
      if (this.unmatchedPaths >= UNMATCHED_PATHS_COUNTED) key = `${method} (other paths no route matched)`;
      else this.unmatchedPaths++;
      entry = this.counts.get(key);
    }
    if (!entry) this.counts.set(key, (entry = { requests: 0, authenticated: 0 }));
    entry[field] += 1;
  }

  counted(): Record<string, RouteCount> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
  }

  clearCounts(): void {
    this.counts.clear();
    this.unmatchedPaths = 0;
  }
}
