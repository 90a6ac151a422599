/** Go duration strings ("30s", "1m30s", "500ms"), the format CompositeController timeouts use. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new Error(`"${text}" is not a duration (use e.g. 30s, 1m30s, 500ms)`);
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * UNIT_MS[unit!]!, 0);
}

export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
