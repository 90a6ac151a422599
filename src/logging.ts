/**
 * JSON logs with pino. Every argument passes through `scrub` before pino sees it, because
 * credentials reach us in many shapes (Secret data, Atlas request bodies, error messages
 * quoting a URI) and pino's path-based `redact` only covers paths known in advance.
 */
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { scrub } from './redact.js';

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
  // Standard output is buffered up to 4 KiB and flushed at least every 200 ms: a write
  // syscall per line cost 5% of a steady sync's CPU (bench:hooks). pino flushes what is
  // buffered when the process exits; only a SIGKILL can lose the last 200 ms.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 }));
}
