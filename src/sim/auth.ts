/**
 * Authentication as Atlas does it.
 *
 * Digest (RFC 7616 with MD5 and qop=auth): a request without credentials, with a wrong key
 * or with an unknown nonce gets 401 and a fresh challenge; an expired nonce gets
 * `stale=true`. A nonce may be reused with a rising nc, so a client that keeps it pays one
 * round trip per call. The challenge lists exactly the parameters Atlas sends, because the
 * Go digest transport rejects any other.
 *
 * Service accounts: POST /api/oauth/token with Basic client credentials issues a Bearer
 * token that expires.
 *
 * Every request without credentials earns a nonce, so the nonces (and tokens) held are
 * bounded and the least recently used are forgotten in O(1): a client whose nonce went
 * pays one more challenge, as with Atlas. Scanning for expired ones instead cost each
 * challenge a pass over every live nonce once 10,000 were out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SimClock } from './clock.js';
import { nonce as newNonce } from './ids.js';

export const REALM = 'MMS Public API';

export interface ApiKey {
  publicKey: string;
  privateKey: string;
}

export interface ServiceAccount {
  clientId: string;
  clientSecret: string;
}

export interface Principal {
  orgId: string;
  /** The public key or client id: rate limits and counts are per principal. */
  id: string;
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; challenge: string };

interface NonceState {
  issuedAt: number;
  /**
   * nc values used per user; a repeat is a replay. Concurrent calls may arrive out of order,
   * so any unused value inside a window below the highest one seen is accepted.
   */
  usedNc: Map<string, NcWindow>;
}

class NcWindow {
  private static readonly SIZE = 4096;
  private readonly seen = new Set<number>();
  private highest = 0;

  fresh(nc: number): boolean {
    return nc >= 1 && nc > this.highest - NcWindow.SIZE && !this.seen.has(nc);
  }

  add(nc: number): void {
    this.seen.add(nc);
    if (nc <= this.highest) return;
    this.highest = nc;
    if (this.seen.size > 2 * NcWindow.SIZE) {
      for (const old of this.seen) if (old <= this.highest - NcWindow.SIZE) this.seen.delete(old);
    }
  }
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

export function parseDigestHeader(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of header.slice('Digest '.length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    fields[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return fields;
}

/** How many nonces, and how many tokens, the simulator holds at most. */
export const CREDENTIAL_STATE_HELD = 10_000;

export class Authenticator {
  private readonly nonces = new LRUCache<string, NonceState>({ max: CREDENTIAL_STATE_HELD });
  private readonly tokens = new LRUCache<string, { principal: Principal; expiresAt: number }>({ max: CREDENTIAL_STATE_HELD });
  private readonly keys = new Map<string, { privateKey: string; orgId: string }>();
  private readonly accounts = new Map<string, { clientSecret: string; orgId: string }>();

  constructor(
    private readonly clock: SimClock,
    private readonly nonceTtlMs: number,
    private readonly tokenTtlSeconds: number,
  ) {}

  addApiKey(orgId: string, key: ApiKey): void {
    this.keys.set(key.publicKey, { privateKey: key.privateKey, orgId });
  }

  addServiceAccount(orgId: string, account: ServiceAccount): void {
    this.accounts.set(account.clientId, { clientSecret: account.clientSecret, orgId });
  }

  reset(): void {
    this.nonces.clear();
    this.tokens.clear();
  }

  challenge(stale = false): string {
    const value = newNonce();
    this.nonces.set(value, { issuedAt: this.clock.now(), usedNc: new Map() });
    return `Digest realm="${REALM}", domain="", nonce="${value}", algorithm=MD5, qop="auth", stale=${stale}`;
  }

  authenticate(method: string, rawUrl: string, authorization: string | undefined): AuthOutcome {
    if (authorization?.startsWith('Bearer ')) {
      const entry = this.tokens.get(authorization.slice('Bearer '.length).trim());
      if (entry && entry.expiresAt > this.clock.now()) return { ok: true, principal: entry.principal };
      return { ok: false, challenge: this.challenge() };
    }
    if (!authorization?.startsWith('Digest ')) return { ok: false, challenge: this.challenge() };
    const f = parseDigestHeader(authorization);
    const key = f.username ? this.keys.get(f.username) : undefined;
    const state = f.nonce ? this.nonces.get(f.nonce) : undefined;
    if (!key || !state || f.realm !== REALM || f.qop !== 'auth' || f.uri !== rawUrl) {
      return { ok: false, challenge: this.challenge() };
    }
    if (this.clock.now() - state.issuedAt > this.nonceTtlMs) {
      this.nonces.delete(f.nonce!);
      return { ok: false, challenge: this.challenge(true) };
    }
    const nc = Number.parseInt(f.nc ?? '', 16);
    let used = state.usedNc.get(f.username!);
    if (!used) state.usedNc.set(f.username!, (used = new NcWindow()));
    if (!Number.isFinite(nc) || !used.fresh(nc) || !f.cnonce) {
      return { ok: false, challenge: this.challenge() };
    }
    const ha1 = md5(`${f.username}:${REALM}:${key.privateKey}`);
    const ha2 = md5(`${method}:${f.uri}`);
    const expected = md5(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:${f.qop}:${ha2}`);
    if (expected !== f.response) return { ok: false, challenge: this.challenge() };
    used.add(nc);
    return { ok: true, principal: { orgId: key.orgId, id: f.username! } };
  }

  /** Client credentials grant; undefined when the Basic credentials are wrong. */
  issueToken(basicAuthorization: string | undefined): { access_token: string; token_type: 'Bearer'; expires_in: number } | undefined {
    if (!basicAuthorization?.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(basicAuthorization.slice('Basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const clientId = decodeURIComponent(decoded.slice(0, colon));
    const clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    const account = this.accounts.get(clientId);
    if (!account || account.clientSecret !== clientSecret) return undefined;
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      principal: { orgId: account.orgId, id: clientId },
      expiresAt: this.clock.now() + this.tokenTtlSeconds * 1000,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds };
  }
}
