/**
 * HTTP Digest (RFC 7616, MD5, qop=auth) for Atlas API keys. Unlike the Go transport the
 * official operator uses, which sends every request twice (once to get a challenge), a
 * session keeps the server's nonce and sends the next request with nc+1, so a steady
 * stream of calls costs one round trip each. A 401 with a new challenge (stale nonce, or a
 * server that forgot it) is answered once more transparently.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm?: string;
  stale: boolean;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

export function parseChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^Digest\s/i.test(header)) return undefined;
  const fields: Record<string, string> = {};
  for (const m of header.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    fields[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  if (!fields.realm || !fields.nonce) return undefined;
  const challenge: DigestChallenge = { realm: fields.realm, nonce: fields.nonce, stale: fields.stale === 'true' };
  if (fields.qop) challenge.qop = fields.qop;
  if (fields.opaque) challenge.opaque = fields.opaque;
  if (fields.algorithm) challenge.algorithm = fields.algorithm;
  return challenge;
}

export function digestAuthorization(options: {
  username: string;
  password: string;
  method: string;
  uri: string;
  challenge: DigestChallenge;
  nc: number;
  cnonce?: string;
  /** HA1 and the qop, when already computed for this challenge (they hold for every request under it). */
  prepared?: PreparedChallenge;
}): string {
  const { username, method, uri, challenge, nc } = options;
  // randomUUID draws from a buffered pool: one syscall per many requests, not one each.
  const cnonce = options.cnonce ?? randomUUID().replaceAll('-', '').slice(0, 16);
  const ncHex = nc.toString(16).padStart(8, '0');
  const { ha1, qop } = options.prepared ?? prepare(username, options.password, challenge);
  const ha2 = md5(`${method}:${uri}`);
  const response = qop ? md5(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    `algorithm="MD5"`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

export interface PreparedChallenge {
  ha1: string;
  qop: 'auth' | undefined;
}

function prepare(username: string, password: string, challenge: DigestChallenge): PreparedChallenge {
  return {
    ha1: md5(`${username}:${challenge.realm}:${password}`),
    qop: challenge.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined,
  };
}

/** One API key's view of the server's current nonce. */
export class DigestSession {
  private challenge: DigestChallenge | undefined;
  private prepared: PreparedChallenge | undefined;
  private nc = 0;
  /** A request out to learn the first challenge: concurrent first calls wait for it. */
  private learning: { promise: Promise<void>; done: () => void } | undefined;

  constructor(
    private readonly username: string,
    private readonly password: string,
    /** `challenge-per-request` behaves like the Go digest transport, for comparison. */
    private readonly reuseNonce = true,
  ) {}

  /** The Authorization header for this request, or undefined when no challenge is known yet. */
  authorize(method: string, uri: string): string | undefined {
    if (!this.challenge) return undefined;
    this.nc += 1;
    const header = digestAuthorization({
      username: this.username,
      password: this.password,
      method,
      uri,
      challenge: this.challenge,
      nc: this.nc,
      prepared: this.prepared,
    });
    if (!this.reuseNonce) this.challenge = undefined;
    return header;
  }

  /** Take a new challenge from a 401; false when the header carried none. */
  accept(header: string | undefined): boolean {
    const challenge = parseChallenge(header);
    if (!challenge) return false;
    this.challenge = challenge;
    this.prepared = prepare(this.username, this.password, challenge);
    this.nc = 0;
    this.learning?.done();
    return true;
  }

  /**
   * For a call with no challenge to answer yet: wait for one another call is already
   * fetching, or become the one that fetches it (call the returned function when done).
   */
  async learn(): Promise<(() => void) | undefined> {
    if (this.challenge || !this.reuseNonce) return undefined;
    if (this.learning) {
      await this.learning.promise;
      return undefined;
    }
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    const learning = { promise, done: () => { if (this.learning === learning) this.learning = undefined; done(); } };
    this.learning = learning;
    return learning.done;
  }
}
