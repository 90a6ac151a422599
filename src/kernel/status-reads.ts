/**
 * The status reads one step makes in a sync (an access-list entry's, a cluster's change
 * status): concurrent, at most STATUS_READS_AT_ONCE at a time, so twenty entries cost the
 * time of three reads without opening twenty connections. A steady sync usually has none
 * to make and then sets nothing up: a p-limit queue built per sync for nothing was 1% of
 * its CPU in the bench:hooks profile.
 */
import pLimit from 'p-limit';

export const STATUS_READS_AT_ONCE = 8;

export function readEach<Item, Read>(items: readonly Item[], read: (item: Item) => Promise<Read>): Promise<Read[]> {
  if (items.length <= STATUS_READS_AT_ONCE) return Promise.all(items.map(read));
  const limit = pLimit(STATUS_READS_AT_ONCE);
  return Promise.all(items.map((item) => limit(() => read(item))));
}
