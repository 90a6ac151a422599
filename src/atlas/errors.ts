/**
 * Errors from the Atlas Admin API. The message renders in the official operator's form
 * (go-client-mongodb-atlas `ErrorResponse.Error()`), which users grep for in conditions:
 *   POST https://cloud.mongodb.com/api/atlas/v2/groups/<id>/accessList: 400 (request "INVALID_IP_ADDRESS_OR_CIDR_NOTATION") The address … must be in valid IP address or CIDR notation.
 */
export interface AtlasErrorBody {
  error?: number;
  errorCode?: string;
  detail?: string | null;
  reason?: string;
  parameters?: unknown[] | null;
}

export class AtlasApiError extends Error {
  override readonly name = 'AtlasApiError';
  readonly httpStatus: number;
  readonly errorCode: string;
  readonly detail: string;
  readonly parameters: unknown[];
  readonly method: string;
  readonly url: string;
  /** Seconds, from a Retry-After header; set on 429 and some 503 answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    httpStatus: number;
    method: string;
    url: string;
    body?: AtlasErrorBody | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    const errorCode = init.body?.errorCode ?? `HTTP_${init.httpStatus}`;
    const detail = init.body?.detail ?? init.body?.reason ?? '';
    super(`${init.method} ${init.url}: ${init.httpStatus} (request "${errorCode}") ${detail}`.trimEnd());
    this.httpStatus = init.httpStatus;
    this.errorCode = errorCode;
    this.detail = detail;
    this.parameters = init.body?.parameters ?? [];
    this.method = init.method;
    this.url = init.url;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  is(...codes: string[]): boolean {
    return codes.includes(this.errorCode);
  }
}

/**
 * Atlas's "this object does not exist" answers, per kind of object. A parent's not-found is
 * never one of them: GROUP_NOT_FOUND on a cluster read can as well mean a stale project id
 * or credentials of another organization, and taking it for "the cluster is gone" would let
 * a finalizer go while the paid cluster keeps running.
 */
export const NOT_FOUND = {
  project: ['GROUP_NOT_FOUND'],
  /** byName answers NOT_IN_GROUP for a name the caller's organization does not hold. */
  projectByName: ['NOT_IN_GROUP', 'GROUP_NAME_NOT_FOUND', 'RESOURCE_NOT_FOUND'],
  cluster: ['CLUSTER_NOT_FOUND'],
  databaseUser: ['USERNAME_NOT_FOUND', 'USER_NOT_FOUND'],
  accessListEntry: ['ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', 'RESOURCE_NOT_FOUND'],
} as const satisfies Record<string, readonly string[]>;

export function isAtlasNotFound(error: unknown, codes: readonly string[]): error is AtlasApiError {
  return error instanceof AtlasApiError && error.is(...codes);
}

/** A delete whose object is already gone has done its job: that object's not-found is success. */
export async function gone(deletion: Promise<unknown>, codes: readonly string[]): Promise<void> {
  try {
    await deletion;
  } catch (error) {
    if (!isAtlasNotFound(error, codes)) throw error;
  }
}

/**
 * Atlas is rate limiting and the wait does not fit in the hook's time budget. The kernel
 * turns this into resyncAfterSeconds rather than blocking a Metacontroller worker.
 */
export class AtlasRateLimitedError extends Error {
  override readonly name = 'AtlasRateLimitedError';
  constructor(
    readonly atlasError: AtlasApiError,
    readonly retryAfterSeconds: number,
  ) {
    super(`${atlasError.message} (retry after ${retryAfterSeconds}s)`);
  }
}

/** The hook's time budget ran out before the work finished. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(what: string) {
    super(`${what} did not finish within the hook's time budget`);
  }
}
