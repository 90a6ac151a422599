/**
 * Atlas Admin API calls for one set of credentials, bound to one hook call's deadline and
 * counters. Transport only: which routes exist, their versions and their types belong to the
 * kinds (src/kinds/<kind>/atlas.ts), which build requests with `atlasRequest`.
 */
import type { AtlasHttp, AtlasRequest, CallContext } from './http.js';
import { isAtlasNotFound } from './errors.js';

interface Link {
  href: string;
  rel: string;
}

interface Page<T> {
  results: T[];
  links?: Link[];
  totalCount?: number;
}

const V2 = '/api/atlas/v2';
const ITEMS_PER_PAGE = 500;

/** Go's url.PathEscape: percent-encode a segment, but leave $&+,;=:@ as they are. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(24|26|2B|2C|3B|3D|3A|40)/gi, (match) => decodeURIComponent(match));
}

/**
 * One request from a route template: the metrics label is the template, the path fills
 * its {slots} with escaped segments, so the two can never disagree.
 */
export function atlasRequest(
  method: AtlasRequest['method'],
  template: string,
  params: readonly string[],
  version: string,
  extra: Pick<AtlasRequest, 'body' | 'idempotent'> = {},
): AtlasRequest {
  let i = 0;
  const path = `${V2}${template.replace(/\{\w+\}/g, () => pathSegment(params[i++]!))}`;
  return { method, path, route: `${V2}${template}`, version, ...extra };
}

export class AtlasClient {
  constructor(
    private readonly http: AtlasHttp,
    private readonly ctx: CallContext,
    private readonly readOnly = false,
  ) {}

  /** The same client, refusing anything but GET: what observing and planning get. */
  reads(): AtlasClient {
    return new AtlasClient(this.http, this.ctx, true);
  }

  async send<T>(request: AtlasRequest): Promise<T> {
    if (this.readOnly && request.method !== 'GET') throw new Error(`${request.method} ${request.route} from a read-only Atlas client`);
    return (await this.http.call<T>(request, this.ctx)).body;
  }

  /** Undefined where Atlas answers that this object (not its parent) does not exist. */
  async find<T>(request: AtlasRequest, notFound: readonly string[]): Promise<T | undefined> {
    try {
      return await this.send<T>(request);
    } catch (error) {
      if (isAtlasNotFound(error, notFound)) return undefined;
      throw error;
    }
  }

  /** Every page of a list. */
  async all<T>(request: AtlasRequest): Promise<T[]> {
    const results: T[] = [];
    for (let pageNum = 1; ; pageNum++) {
      const page = await this.send<Page<T>>({ ...request, query: { ...request.query, pageNum, itemsPerPage: ITEMS_PER_PAGE } });
      results.push(...page.results);
      const hasNext = page.links?.some((l) => l.rel === 'next') ?? page.results.length === ITEMS_PER_PAGE;
      if (!hasNext || page.results.length === 0) return results;
    }
  }
}
