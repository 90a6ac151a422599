import t from 'tap';
import { ConditionSet, kubeTime } from '../../src/kernel/conditions.js';

const earlier = '2026-01-01T00:00:00Z';
const now = new Date('2026-11-22T10:20:30.456Z');
const PROJECT = ['ValidationSucceeded', 'ProjectReady', 'IPAccessListReady'];

t.test('a condition whose status does not change keeps its lastTransitionTime', async (t) => {
  const set = new ConditionSet([{ type: 'ProjectReady', status: 'True', lastTransitionTime: earlier }], now, PROJECT);
  set.true('ProjectReady');
  const [ready, project] = set.toList();
  t.equal(project!.lastTransitionTime, earlier);
  t.equal(ready!.type, 'Ready');
  t.equal(ready!.status, 'True');
  t.equal(ready!.lastTransitionTime, '2026-11-22T10:20:30Z', 'a new condition is stamped now, at second precision');
});

t.test('a flip moves lastTransitionTime; reason and message changes alone do not', async (t) => {
  const observed = [
    { type: 'Ready', status: 'False' as const, lastTransitionTime: earlier },
    { type: 'IPAccessListReady', status: 'False' as const, lastTransitionTime: earlier, reason: 'A', message: 'x' },
  ];
  const flipped = new ConditionSet(observed, now, PROJECT).true('IPAccessListReady').toList();
  t.same(flipped.map((c) => [c.type, c.status, c.lastTransitionTime]), [
    ['Ready', 'True', kubeTime(now)],
    ['IPAccessListReady', 'True', kubeTime(now)],
  ]);
  const reworded = new ConditionSet(observed, now, PROJECT).false('IPAccessListReady', 'B', 'y').toList();
  t.equal(reworded[1]!.lastTransitionTime, earlier);
  t.equal(reworded[1]!.reason, 'B');
});

t.test('Ready is False with the first unmet step while any step is unfinished', async (t) => {
  const list = new ConditionSet([], now, PROJECT)
    .true('ProjectReady')
    .false('IPAccessListReady', 'ProjectIPAccessListNotActive', '192.0.2.15/32 IP Access List is not yet active')
    .toList();
  t.same(list[0], {
    type: 'Ready',
    status: 'False',
    lastTransitionTime: kubeTime(now),
    reason: 'ProjectIPAccessListNotActive',
    message: '192.0.2.15/32 IP Access List is not yet active',
  });
});

t.test('sub-conditions not touched this time are kept, in the observed order', async (t) => {
  const observed = [
    { type: 'Ready', status: 'True' as const, lastTransitionTime: earlier },
    { type: 'ValidationSucceeded', status: 'True' as const, lastTransitionTime: earlier },
    { type: 'ProjectReady', status: 'True' as const, lastTransitionTime: earlier },
  ];
  const list = new ConditionSet(observed, now, PROJECT).true('ProjectReady').true('IPAccessListReady').toList();
  t.same(list.map((c) => c.type), ['Ready', 'ValidationSucceeded', 'ProjectReady', 'IPAccessListReady']);
});

t.test('an override forces Ready=False and stamps the flip', async (t) => {
  const observed = [{ type: 'Ready', status: 'True' as const, lastTransitionTime: earlier }];
  const [ready] = new ConditionSet(observed, now, PROJECT).toList({ reason: 'AtlasRateLimited', message: 'slow down' });
  t.same(ready, {
    type: 'Ready',
    status: 'False',
    lastTransitionTime: kubeTime(now),
    reason: 'AtlasRateLimited',
    message: 'slow down',
  });
});

t.test('a condition type the kind does not own is dropped, so it cannot hold Ready False', async (t) => {
  const observed = [
    { type: 'Ready', status: 'False' as const, lastTransitionTime: earlier, reason: 'ProjectTeamsNotReady' },
    { type: 'ProjectTeamsReady', status: 'False' as const, lastTransitionTime: earlier, reason: 'TeamNotCreatedInAtlas' },
    { type: 'ProjectReady', status: 'True' as const, lastTransitionTime: earlier },
  ];
  const list = new ConditionSet(observed, now, PROJECT).true('ProjectReady').true('IPAccessListReady').toList();
  t.same(list.map((c) => `${c.type}=${c.status}`), ['Ready=True', 'ProjectReady=True', 'IPAccessListReady=True']);
});

t.test('100,000 observed conditions are handled in one linear pass', async (t) => {
  // Quadratic handling took 16 s here; the figures are bench/conditions.mjs's. This checks
  // the result: duplicates and foreign types collapse to the owned types, first one wins.
  const observed = Array.from({ length: 100_000 }, (_, i) => ({
    type: i % 2 ? `Foreign${i}` : 'ProjectReady',
    status: 'False' as const,
    lastTransitionTime: earlier,
    reason: `R${i}`,
  }));
  const list = new ConditionSet(observed, now, PROJECT).toList();
  t.same(list.map((c) => `${c.type}=${c.reason}`), ['Ready=R0', 'ProjectReady=R0']);
});
