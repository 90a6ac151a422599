import { randomBytes } from 'node:crypto';

/** A 24-hex ObjectId: seconds since the epoch, then random bytes, as Atlas ids look. */
export function objectId(nowMs: number): string {
  return Math.floor(nowMs / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex');
}

/** Where new object ids come from. */
export type IdSource = (nowMs: number) => string;

/**
 * Ids in creation order (the same timestamp, then a counter), so a fresh simulator gives
 * the same objects the same ids every run: example payloads can name a project's id.
 */
export function sequentialIds(): IdSource {
  let next = 1;
  return () => `6553f100${(next++).toString(16).padStart(16, '0')}`;
}

/** A 32-character Digest nonce in Atlas's alphabet (base64, may contain + and /). */
export function nonce(): string {
  return randomBytes(24).toString('base64');
}

/** The short random host label Atlas puts in connection strings, e.g. "ebddb1". */
export function hostLabel(): string {
  return randomBytes(3).toString('hex');
}
