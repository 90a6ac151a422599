/**
 * How soon to look again while waiting on Atlas (a cluster provisioning, a dependent being
 * deleted, clusters applying a user change): often while the wait is young, when most
 * waits end, less often as it drags on. The wait's age is the lastTransitionTime of the
 * condition that reports it, so the schedule is a pure function of the request.
 */
import type { Condition } from './conditions.js';

export function progressResync(waiting: Condition | undefined, now: Date): number {
  const startedAt = waiting?.status === 'False' && waiting.lastTransitionTime ? Date.parse(waiting.lastTransitionTime) : now.getTime();
  const elapsed = (now.getTime() - startedAt) / 1000;
  return elapsed < 120 ? 10 : elapsed < 900 ? 30 : 60;
}
