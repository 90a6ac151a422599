/**
 * The time a hook may spend before it must answer. Metacontroller gives up on a hook at the
 * CompositeController's webhook timeout and retries with exponential backoff, so we stop at
 * a fraction of it and report what is unfinished instead.
 */
export class TimeBudget {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly deadline: number;

  constructor(readonly totalMs: number) {
    this.deadline = performance.now() + totalMs;
    this.timer = setTimeout(() => this.controller.abort(new Error('hook time budget exhausted')), totalMs);
    this.timer.unref();
  }

  /** Aborted when the budget runs out; pass it to every outgoing request. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }

  expired(): boolean {
    return this.controller.signal.aborted || this.remainingMs() === 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
