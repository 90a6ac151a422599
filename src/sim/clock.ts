/**
 * The simulator's clock: real time plus an offset that tests advance, so provisioning,
 * nonce expiry, token expiry and access-list expiry can be driven without sleeping.
 */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /**
   * By a finite number of seconds: a NaN clock would break every expiry after it. Code may
   * move it back (the replay suite sets it to each recording's date); the HTTP control
   * plane takes only forward moves.
   */
  advance(seconds: number): number {
    if (!Number.isFinite(seconds)) throw new RangeError(`the clock moves by a finite number of seconds, not ${seconds}`);
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
