/**
 * Versioned media types: `Accept: application/vnd.atlas.YYYY-MM-DD+json` picks the resource
 * version. An exact match is served as is; a later date gets the newest version on or
 * before it (the spec's own examples rely on this); an earlier or unparseable one is
 * refused with 406 INVALID_VERSION_DATE.
 */
import { atlasErrors } from './errors.js';

const VERSIONED = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/;

export function resolveVersion(accept: string | undefined, offered: readonly string[]): string {
  const requested = VERSIONED.exec(accept ?? '')?.[1];
  if (!requested) throw atlasErrors.invalidVersion();
  const candidates = [...offered].sort().filter((v) => v <= requested);
  const chosen = candidates.at(-1);
  if (!chosen) throw atlasErrors.invalidVersion();
  return chosen;
}

export function mediaType(version: string): string {
  return `application/vnd.atlas.${version}+json;charset=utf-8`;
}
