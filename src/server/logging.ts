/**
 * JSON logs with pino. Every argument passes through `scrub` before pino sees it, because
 * credentials reach us in many shapes (Secret data, Atlas request bodies, error messages
 * quoting a URI) and pino's path-based `redact` only covers paths known in advance.
 */
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'password',
    'privateapikey',
    'clientsecret',
    'client_secret',
    'access_token',
    'accesstoken',
    'token',
    'cookie',
    'set-cookie',
  ].map((k) => k.toLowerCase()),
);

const URI_USERINFO = /(mongodb(?:\+srv)?:\/\/)[^@\s/"']+@/gi;

export function scrubString(text: string): string {
  return text.replace(URI_USERINFO, `$1${REDACTED}@`);
}

export function scrub(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message), stack: value.stack && scrubString(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, seen));
  const isSecret = (value as { kind?: unknown }).kind === 'Secret';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(key.toLowerCase()) || (isSecret && (key === 'data' || key === 'stringData'))) {
      out[key] = REDACTED;
    } else {
      out[key] = scrub(v, seen);
    }
  }
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
