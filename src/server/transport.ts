/**
 * How the hooks are reached: HTTPS with a certificate that can rotate under a running
 * server, an optional client CA (mTLS), and an optional bearer token. Requests carry Atlas
 * keys and passwords and answers carry connection Secrets, so a cluster that runs this the
 * way deploy/ does accepts hook calls only from Metacontroller.
 *
 * Files are mounted from Secrets, which Kubernetes replaces by swapping a symlink; they are
 * re-read when their identity (inode, size, mtime) changes, checked as each connection or
 * hook request arrives, so a rotation takes effect for the next one without a restart or a
 * polling delay.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer, ServerOptions as HttpsOptions } from 'node:https';
import type { Logger } from 'pino';

/** A file's content, re-read whenever the file is replaced. */
export class ReloadingFile {
  private stamp = '';
  private content: Buffer;

  constructor(
    readonly path: string,
    private readonly flag: string,
  ) {
    this.content = this.read();
  }

  private read(): Buffer {
    try {
      const stat = statSync(this.path);
      const content = readFileSync(this.path);
      this.stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      return content;
    } catch (error) {
      throw new Error(`invalid ${this.flag}: cannot read ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  /** True when the file changed since it was last read (and has been read again). */
  refresh(): boolean {
    let stat;
    try {
      stat = statSync(this.path);
    } catch {
      return false; // mid-rotation: keep what worked
    }
    if (`${stat.ino}:${stat.size}:${stat.mtimeMs}` === this.stamp) return false;
    this.content = this.read();
    return true;
  }

  get value(): Buffer {
    return this.content;
  }
}

export interface TransportOptions {
  tlsCertFile?: string;
  tlsKeyFile?: string;
  clientCaFile?: string;
  authTokenFile?: string;
}

/** Checks the flags' combinations and reads every file once, so start-up fails on a bad one. */
export function checkTransportOptions(options: TransportOptions): void {
  if (Boolean(options.tlsCertFile) !== Boolean(options.tlsKeyFile)) {
    throw new Error(`invalid ${options.tlsCertFile ? '--tls-key-file' : '--tls-cert-file'}: --tls-cert-file and --tls-key-file go together`);
  }
  if (options.clientCaFile && !options.tlsCertFile) throw new Error('invalid --client-ca-file: mTLS needs --tls-cert-file and --tls-key-file');
}

export class ServerTls {
  private readonly cert: ReloadingFile;
  private readonly key: ReloadingFile;
  private readonly clientCa: ReloadingFile | undefined;

  constructor(
    options: Required<Pick<TransportOptions, 'tlsCertFile' | 'tlsKeyFile'>> & Pick<TransportOptions, 'clientCaFile'>,
    private readonly logger: Logger,
  ) {
    this.cert = new ReloadingFile(options.tlsCertFile, '--tls-cert-file');
    this.key = new ReloadingFile(options.tlsKeyFile, '--tls-key-file');
    this.clientCa = options.clientCaFile ? new ReloadingFile(options.clientCaFile, '--client-ca-file') : undefined;
  }

  private contextOptions() {
    return {
      cert: this.cert.value,
      key: this.key.value,
      ...(this.clientCa ? { ca: this.clientCa.value } : {}),
    };
  }

  /** For fastify's `https` option. */
  serverOptions(): HttpsOptions {
    return {
      ...this.contextOptions(),
      minVersion: 'TLSv1.2',
      ...(this.clientCa ? { requestCert: true, rejectUnauthorized: true } : {}),
    };
  }

  /**
   * Before each TLS handshake, pick up replaced files. Runs ahead of the TLS server's own
   * connection listener, which builds the socket from the current secure context.
   */
  attach(server: HttpsServer): void {
    server.prependListener('connection', () => {
      // Every file is checked (no short-circuit), so a cert and key replaced together load together.
      const changed = [this.cert, this.key, this.clientCa].map((file) => file?.refresh() ?? false);
      if (!changed.some(Boolean)) return;
      try {
        server.setSecureContext(this.contextOptions());
        this.logger.info({ files: [this.cert.path, this.key.path, this.clientCa?.path].filter(Boolean) }, 'TLS files reloaded');
      } catch (error) {
        // A certificate without its new key yet: keep serving the old pair until both match.
        this.logger.warn({ error: (error as Error).message }, 'TLS files changed but do not load yet; serving the previous ones');
      }
    });
  }
}

export type BearerCheck = { ok: true } | { ok: false; message: string };

/** `Authorization: Bearer <token>` against the token file, in constant time. */
export class BearerToken {
  private readonly file: ReloadingFile;
  private digest: Buffer;

  constructor(path: string) {
    this.file = new ReloadingFile(path, '--auth-token-file');
    this.digest = this.expected();
  }

  private expected(): Buffer {
    const token = this.file.value.toString('utf8').trim();
    if (!token) throw new Error(`invalid --auth-token-file: ${this.file.path} is empty`);
    return createHash('sha256').update(token).digest();
  }

  check(header: string | undefined): BearerCheck {
    if (this.file.refresh()) {
      try {
        this.digest = this.expected();
      } catch {
        // emptied mid-rotation: the previous token holds until the new one is written
      }
    }
    if (!header) return { ok: false, message: 'this hook requires Authorization: Bearer <token>; none was sent' };
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return { ok: false, message: 'the Authorization header is not a Bearer token' };
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    const given = createHash('sha256').update(match[1]!.trim()).digest();
    return timingSafeEqual(given, this.digest) ? { ok: true } : { ok: false, message: 'the bearer token is not the one this server expects' };
  }
}
