/** Faults injected through the control plane, and request counts per route. */
export type FaultKind = 'latency' | 'error' | 'rate-limit' | 'reset' | 'hang';

export interface FaultSpec {
  /** A route template as registered, e.g. /api/atlas/v2/groups/:groupId/clusters/:clusterName; '*' for any. */
  route: string;
  method?: string;
  kind: FaultKind;
  /** For 'error': 500, 502, 503 or 504. */
  status?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  /** How many matching requests it applies to; default 1. */
  count?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export interface RouteCount {
  /** Every request, 401 challenges included: HTTP round trips. */
  requests: number;
  /** Requests that passed authentication: API calls that reached the resource. */
  authenticated: number;
}

export class FaultsAndCounts {
  private faults: ActiveFault[] = [];
  private counts = new Map<string, RouteCount>();

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

  count(method: string, route: string, field: keyof RouteCount): void {
    const key = `${method} ${route}`;
    let entry = this.counts.get(key);
    if (!entry) this.counts.set(key, (entry = { requests: 0, authenticated: 0 }));
    entry[field] += 1;
  }

  counted(): Record<string, RouteCount> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
  }

  clearCounts(): void {
    this.counts.clear();
  }
}
