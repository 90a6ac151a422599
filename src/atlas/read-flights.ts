/**
 * Coalesced reads: concurrent identical GETs (same credentials, URL and version) share one
 * request, which saves calls in bursts (fifty users of one project synced at once all list
 * its clusters). Nothing outlives the request: a 2 s cache of answers saved 0 of 4,500
 * calls at Metacontroller's spacing (npm run bench:scale, cache on and off) while costing
 * a deep copy per read and stale PENDING answers, so it is gone. A write drops the reads in
 * flight under its project, so no later caller joins an answer older than that write.
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
  /** Callers that joined: with more than one, each gets its own copy of the answer. */
  callers = 0;
  private latest: number | undefined = -Infinity;
  promise!: Promise<unknown>;
  settled = false;

  get deadline(): number | undefined {
    return this.latest === -Infinity ? undefined : this.latest;
  }

  join(caller: CallerLimits): void {
    this.waiting++;
    this.callers++;
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

export class ReadFlights {
  /** Project scope → request key → the read in flight: a write drops its scope in one step. */
  private readonly inFlight = new Map<string, Map<string, Flight>>();

  /** `load` gets the shared read's limits, not the caller's. */
  async read<T>(key: string, path: string, caller: CallerLimits, load: (shared: { signal: AbortSignal; readonly deadline: number | undefined }) => Promise<T>): Promise<T> {
    const scope = scopeOf(path);
    let flights = this.inFlight.get(scope);
    let flight = flights?.get(key);
    if (!flight) {
      const created = new Flight();
      flight = created;
      if (!flights) this.inFlight.set(scope, (flights = new Map()));
      const own = flights;
      own.set(key, created);
      created.join(caller);
      created.promise = load({ signal: created.controller.signal, get deadline() { return created.deadline; } }).finally(() => {
        created.settled = true;
        if (own.get(key) === created) own.delete(key);
        if (own.size === 0 && this.inFlight.get(scope) === own) this.inFlight.delete(scope);
      });
      // Joiners and the caller each observe the outcome; an unobserved rejection must not crash.
      created.promise.catch(() => undefined);
    } else {
      flight.join(caller);
    }
    try {
      const value = (await forCaller(flight.promise, caller.signal)) as T;
      return flight.callers > 1 ? structuredClone(value) : value;
    } finally {
      flight.leave();
    }
  }

  /** Reads in flight: bounded by the hook calls in flight. */
  get size(): number {
    let n = 0;
    for (const flights of this.inFlight.values()) n += flights.size;
    return n;
  }

  /** A write to `path` happened: later reads of its project must not join older ones. */
  invalidate(path: string): void {
    const scope = scopeOf(path);
    if (scope === '') this.inFlight.clear();
    else this.inFlight.delete(scope);
  }
}

/** `/api/atlas/v2/groups/<id>` for anything under a project; '' (everything) otherwise. */
function scopeOf(path: string): string {
  const match = /^\/api\/atlas\/v2\/groups\/([a-f0-9]{24})(?:[/?]|$)/.exec(path);
  return match ? `/api/atlas/v2/groups/${match[1]}` : '';
}
