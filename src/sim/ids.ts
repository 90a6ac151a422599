import { randomBytes } from 'node:crypto';

/** A 24-hex ObjectId: seconds since the epoch, then random bytes, as Atlas ids look. */
export function objectId(nowMs: number): string {
  return Math.floor(nowMs / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex');
}

/** A 32-character Digest nonce in Atlas's alphabet (base64, may contain + and /). */
export function nonce(): string {
  return randomBytes(24).toString('base64');
}

/** The short random host label Atlas puts in connection strings, e.g. "ebddb1". */
export function hostLabel(): string {
  return randomBytes(3).toString('hex');
}
