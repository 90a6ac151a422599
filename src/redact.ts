/**
 * Credentials out of anything we write: log lines and condition messages. Credentials
 * reach us in many shapes (Secret data, Atlas request bodies, error messages quoting a
 * URI), so this works on values, not on paths known in advance.
 */
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
  // Most strings name no URI at all: the test is cheaper than the replace.
  if (!/mongodb/i.test(text)) return text;
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

