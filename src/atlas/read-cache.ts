/**
 * Coalesced and briefly cached reads. Concurrent identical GETs (same credentials, URL and
 * version) share one request; a short-lived cache serves repeated reads across parents,
 * e.g. the cluster list fifty users' syncs each need. Any write through the client drops
 * what it may have changed: everything under the same project, for every key. A stale
 * read can cost one more resync, never a wrong delete, because deletes in Atlas are only
 * issued for what a fresh read still shows (404 on delete counts as gone).
 */
export class ReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly entries = new Map<string, { value: unknown; expiresAt: number; path: string }>();

  constructor(readonly ttlMs: number) {}

  async read<T>(key: string, path: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > performance.now()) return structuredClone(cached.value) as T;
    const pending = this.inFlight.get(key);
    if (pending) return structuredClone(await pending) as T;
    const started = performance.now();
    const promise = load();
    this.inFlight.set(key, promise);
    try {
      const value = await promise;
      // A write that landed while this read was in flight has already invalidated; don't
      // store a value older than that write.
      if (this.inFlight.get(key) === promise && this.ttlMs > 0) {
        this.entries.set(key, { value, expiresAt: started + this.ttlMs, path });
      }
      return structuredClone(value);
    } finally {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    }
  }

  /** Drop every entry a write to `path` may have changed. */
  invalidate(path: string): void {
    const scope = scopeOf(path);
    for (const [key, entry] of this.entries) if (scopeOf(entry.path) === scope || scope === '') this.entries.delete(key);
    for (const key of this.inFlight.keys()) if (scope === '' || key.includes(scope)) this.inFlight.delete(key);
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
