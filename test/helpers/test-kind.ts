/**
 * A kind for exercising the kernel: `spec.behavior` picks what its sync does, so each
 * kernel path (success, hang, error, rate limit) can be driven over HTTP.
 */
import { AtlasApiError, AtlasRateLimitedError } from '../../src/atlas/errors.js';
import type { KindController, HookContext } from '../../src/kernel/hook-kind.js';

const hangWaiters: Array<() => void> = [];

/** Resolves once a sync with behavior "hang" is inside the kind: the hook is in flight. */
export function nextHang(): Promise<void> {
  return new Promise((resolve) => hangWaiters.push(resolve));
}

export type Behavior = 'ready' | 'step-failed' | 'hang' | 'throw' | 'rate-limited' | 'log-everything';

function behavior(ctx: HookContext): Behavior {
  return ((ctx.parent.spec as { behavior?: Behavior } | undefined)?.behavior ?? 'ready') as Behavior;
}

export const testKind: KindController = {
  kind: 'AtlasProject',
  apiVersion: 'atlas.mongodb.com/v1',
  route: 'atlasproject',
  conditionTypes: ['ProjectReady', 'IPAccessListReady'],
  customize(parent) {
    return [{ apiVersion: 'v1', resource: 'secrets', namespace: parent.metadata.namespace, names: ['creds'] }];
  },
  async sync(ctx) {
    switch (behavior(ctx)) {
      case 'hang':
        for (const wake of hangWaiters.splice(0)) wake();
        await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
        break;
      case 'throw':
        throw new Error('boom: mongodb+srv://admin:hunter2-password@cluster0.example.net');
      case 'rate-limited':
        throw new AtlasRateLimitedError(
          new AtlasApiError({
            httpStatus: 429,
            method: 'GET',
            url: 'https://cloud.mongodb.com/api/atlas/v2/groups',
            body: { errorCode: 'RATE_LIMITED', detail: 'Too many requests.' },
            retryAfterSeconds: 42,
          }),
          42,
        );
      case 'log-everything':
        ctx.log.info({ related: ctx.related, parent: ctx.parent }, 'careless dump of the request');
        ctx.log.info(`connecting with mongodb://admin:hunter2-password@host:27017/admin`);
        break;
      case 'step-failed':
        ctx.conditions.true('ProjectReady');
        ctx.conditions.false('IPAccessListReady', 'ProjectIPAccessListNotCreatedInAtlas', 'rejected');
        return { status: { id: 'abc' }, children: [] };
    }
    ctx.conditions.true('ProjectReady');
    return { status: { id: 'abc' }, children: [] };
  },
  async finalize() {
    return { status: {}, children: [], finalized: true };
  },
};
