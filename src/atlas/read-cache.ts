/**
 * Coalesced and briefly cached reads. Concurrent identical GETs (same credentials, URL and
 * version) share one request; a short-lived cache serves repeated reads across parents,
 * e.g. the cluster list fifty users' syncs each need. Any write through the client drops
 * what it may have changed: everything under the same project, for every key. A stale
 * read can cost one more resync, never a wrong delete, because deletes in Atlas are only
 * issued for what a fresh read still shows (404 on delete counts as gone).
 */
/** The time limits of one caller: its hook's budget. */
export interface CallerLimits {
  signal?: AbortSignal | undefined;
  /** performance.now() value after which no retry may start. */
  deadline?: number | undefined;
}

/**
 * One shared read. It belongs to no single caller: it is aborted only once every caller
 * waiting on it has given up, and its retries may run until the latest of their deadlines,
 * so a hook that joins another's read keeps its own budget.
 */
class Flight {
  readonly controller = new AbortController();
  private waiting = 0;
  private latest: number | undefined = -Infinity;
  promise!: Promise<unknown>;
  settled = false;

  get deadline(): number | undefined {
    return this.latest === -Infinity ? undefined : this.latest;
  }

  join(caller: CallerLimits): void {
    this.waiting++;
    // No deadline means no limit, which the latest of all deadlines then is too.
    if (this.latest !== undefined) this.latest = caller.deadline === undefined ? undefined : Math.max(this.latest, caller.deadline);
  }

  leave(): void {
    if (--this.waiting === 0 && !this.settled) this.controller.abort();
  }
}

/** The shared read's result for one caller, or its own abort, whichever comes first. */
function forCaller<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class ReadCache {
  private readonly inFlight = new Map<string, Flight>();
  private readonly entries = new Map<string, { value: unknown; expiresAt: number; path: string }>();

  constructor(readonly ttlMs: number) {}

  /** `load` gets the shared read's limits, not the caller's. */
  async read<T>(key: string, path: string, caller: CallerLimits, load: (shared: { signal: AbortSignal; readonly deadline: number | undefined }) => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > performance.now()) return structuredClone(cached.value) as T;
    let flight = this.inFlight.get(key);
    if (!flight) {
      const started = performance.now();
      const created = new Flight();
      flight = created;
      this.inFlight.set(key, created);
      created.join(caller);
      created.promise = load({ signal: created.controller.signal, get deadline() { return created.deadline; } }).then(
        (value) => {
          // A write that landed while this read was in flight has already invalidated; don't
          // store a value older than that write.
          if (this.inFlight.get(key) === created && this.ttlMs > 0) this.entries.set(key, { value, expiresAt: started + this.ttlMs, path });
          return value;
        },
      ).finally(() => {
        created.settled = true;
        if (this.inFlight.get(key) === created) this.inFlight.delete(key);
      });
      // Joiners and the caller each observe the outcome; an unobserved rejection must not crash.
      created.promise.catch(() => undefined);
    } else {
      flight.join(caller);
    }
    try {
      return structuredClone(await forCaller(flight.promise, caller.signal)) as T;
    } finally {
      flight.leave();
    }
  }

  /** Drop every entry a write to `path` may have changed. */
  invalidate(path: string): void {
    const scope = scopeOf(path);
    for (const [key, entry] of this.entries) if (scopeOf(entry.path) === scope || scope === '') this.entries.delete(key);
    for (const key of [...this.inFlight.keys()]) if (scope === '' || key.includes(scope)) this.inFlight.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }
}

/** `/api/atlas/v2/groups/<id>` for anything under a project; '' (everything) otherwise. */
function scopeOf(path: string): string {
  const match = /^\/api\/atlas\/v2\/groups\/([a-f0-9]{24})(?:[/?]|$)/.exec(path);
  return match ? `/api/atlas/v2/groups/${match[1]}` : '';
}
