/**
 * Command-line flags with an environment variable each. Precedence: flag, then env, then
 * default. A bad value stops start-up with one line naming the flag and its env var.
 */
import { parseArgs } from 'node:util';

export interface FlagSpec<T> {
  env: string;
  help: string;
  default: T;
  /** Shown in --help instead of the default's own rendering. */
  defaultText?: string;
  parse(text: string): T;
  /** A list flag may be given many times (its env var: comma-separated); parse maps one item to its values. */
  kind?: 'boolean' | 'list';
  /** A one-letter alias, as in kubectl's -f. */
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec<unknown>>;
export type FlagValues<S extends FlagSpecs> = { [K in keyof S]: S[K] extends FlagSpec<infer T> ? T : never };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseFlags<S extends FlagSpecs>(
  specs: S,
  argv: string[],
  env: NodeJS.ProcessEnv,
): FlagValues<S> {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.kind === 'boolean' ? 'boolean' : 'string', ...(spec.kind === 'list' ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
    ]),
  ) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const fromFlag = parsed.values[name];
    if (spec.kind === 'list') {
      const items = fromFlag !== undefined ? (fromFlag as string[]) : (env[spec.env] ?? '').split(',').filter(Boolean);
      values[name] = items.length > 0 ? items.flatMap((item) => spec.parse(item) as unknown[]) : spec.default;
      continue;
    }
    const raw = fromFlag !== undefined ? String(fromFlag) : env[spec.env];
    if (raw === undefined || raw === '') {
      values[name] = spec.default;
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      const source = fromFlag !== undefined ? `--${name}` : `${spec.env} (--${name})`;
      throw new UsageError(`invalid ${source}: ${(error as Error).message}`);
    }
  }
  return values as FlagValues<S>;
}

export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const shown = spec.defaultText ?? (spec.default === undefined || spec.default === '' ? '' : String(spec.default));
    return `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.kind === 'boolean' ? '' : ' <value>'}${spec.kind === 'list' ? ' (repeatable)' : ''}\n      ${spec.help}\n      env ${spec.env}${shown ? `, default ${shown}` : ''}`;
  });
  return rows.join('\n');
}

export const parsers = {
  port(text: string): number {
    const port = Number(text);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${text}" is not a TCP port (0-65535)`);
    return port;
  },
  url(text: string): string {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`"${text}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`"${text}" is not an http(s) URL`);
    return url.origin;
  },
  positiveInteger(text: string): number {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`"${text}" is not a positive whole number`);
    return n;
  },
  nonNegativeNumber(text: string): number {
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`"${text}" is not a number ≥ 0`);
    return n;
  },
  boolean(text: string): boolean {
    if (/^(true|1|yes)$/i.test(text)) return true;
    if (/^(false|0|no)$/i.test(text)) return false;
    throw new Error(`"${text}" is not true or false`);
  },
  string(text: string): string {
    return text;
  },
  logLevel(text: string): string {
    const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
    if (!levels.includes(text)) throw new Error(`"${text}" is not one of ${levels.join(', ')}`);
    return text;
  },
};
