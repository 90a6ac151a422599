import t from 'tap';
import { FaultsAndCounts, UNMATCHED_PATHS_COUNTED } from '../../src/sim/faults.js';
import { startSimHarness } from '../helpers/sim.js';

const ACCEPT = { accept: 'application/vnd.atlas.2023-01-01+json' };

t.test('request counts name the route template, or the path no route matched', async (t) => {
  const h = await startSimHarness(t);
  await h.client().projects.list();
  await h.raw('GET', '/api/atlas/v2/groups/000000000000000000000000/noSuchThing', ACCEPT);
  await h.raw('GET', '/api/atlas/v2/groups/000000000000000000000000/noSuchThing?pageNum=2', ACCEPT);
  const counts = h.sim.control.requestCounts();
  t.same(counts['GET /api/atlas/v2/groups'], { requests: 2, authenticated: 1 }, 'a known route: the challenge and the call');
  t.same(counts['GET /api/atlas/v2/groups/000000000000000000000000/noSuchThing'], { requests: 2, authenticated: 0 }, 'an unknown path, under itself, without its query');
});

t.test('paths no route matched cannot grow the counts without bound', async (t) => {
  const counts = new FaultsAndCounts();
  for (let i = 0; i < UNMATCHED_PATHS_COUNTED + 500; i++) counts.count('GET', `/probe/${i}`, 'requests', false);
  counts.count('GET', '/api/atlas/v2/groups/:groupId', 'requests');
  counts.count('GET', '/probe/0', 'requests', false);
  const seen = counts.counted();
  t.equal(Object.keys(seen).length, UNMATCHED_PATHS_COUNTED + 2, 'the first paths, one entry for the rest, and the route');
  t.same(seen['GET /probe/0'], { requests: 2, authenticated: 0 }, 'a path already counted keeps its entry');
  t.same(seen['GET (other paths no route matched)'], { requests: 500, authenticated: 0 });
  t.same(seen['GET /api/atlas/v2/groups/:groupId'], { requests: 1, authenticated: 0 }, 'a matched route is never lumped in');
  counts.clearCounts();
  counts.count('GET', '/probe/new', 'requests', false);
  t.same(Object.keys(counts.counted()), ['GET /probe/new'], 'clearing the counts makes room again');
});
