/**
 * Spec formats are checked by the hooks themselves. This file imports no simulator (which
 * registers formats of its own), as `serve` runs: a format TypeBox does not know would
 * refuse every spec that uses it.
 */
import t from 'tap';
import { schemaProblem } from '../../src/kernel/validation.js';
import { AtlasIPAccessListSpec } from '../../src/kinds/atlasipaccesslist/schema.js';
import { AtlasTeamSpec } from '../../src/kinds/atlasteam/schema.js';

t.test('date-time and email formats are known to the hooks, and still refuse what is not one', async (t) => {
  const list = (deleteAfterDate: string) => ({ projectRef: { name: 'p' }, entries: [{ ipAddress: '192.0.2.1', deleteAfterDate }] });
  t.equal(schemaProblem(AtlasIPAccessListSpec, list('2030-01-01T00:00:00Z')), undefined);
  t.match(schemaProblem(AtlasIPAccessListSpec, list('next week')), /^spec\.entries\[0\]\.deleteAfterDate: .*date-time/);
  t.equal(schemaProblem(AtlasTeamSpec, { name: 'Developers', usernames: ['ada@example.com'] }), undefined);
  t.match(schemaProblem(AtlasTeamSpec, { name: 'Developers', usernames: ['ada'] }), /^spec\.usernames\[0\]: .*email/);
});
