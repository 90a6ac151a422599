/** Comparisons the kinds share when deciding whether Atlas already holds what the spec says. */

/** Two optional timestamps name the same instant (Atlas rewrites the format). */
export function sameInstant(a: string | undefined, b: string | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && Date.parse(a) === Date.parse(b);
}

/** JSON with object keys sorted, so key order never counts as a difference. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
