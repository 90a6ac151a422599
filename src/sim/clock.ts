/**
 * The simulator's clock: real time plus an offset that tests advance, so provisioning,
 * nonce expiry, token expiry and access-list expiry can be driven without sleeping.
 */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): number {
    this.offsetMs += seconds * 1000;
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** RFC 3339 at second precision, as Atlas writes dates. */
export function atlasDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
