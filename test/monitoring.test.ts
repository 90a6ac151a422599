/**
 * Monitoring stays true to the server: every metric the alert rules and the Grafana
 * dashboard query is one /metrics exports, and the README documents every exported metric.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { allKinds } from '../src/kinds/index.js';
import { startTestHookServer } from './helpers/hook-server.js';

const file = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const METRIC = /\b((?:atlas_metacontroller|process|nodejs)_[a-z0-9_]+)\b/g;

t.test('the rules and the dashboard query only metrics /metrics exports; the README lists ours', async (t) => {
  const server = await startTestHookServer(allKinds());
  t.teardown(() => server.shutdown());
  const text = (await server.get('/metrics')).text;
  const exported = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exported.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
  }
  const rules = parse(file('deploy/monitoring/prometheusrule.yaml')).spec.groups.flatMap((g: { rules: Array<{ expr: string }> }) => g.rules.map((r) => r.expr));
  const dashboard = (JSON.parse(file('deploy/monitoring/grafana-dashboard.json')).panels as Array<{ targets: Array<{ expr: string }> }>).flatMap((p) => p.targets.map((x) => x.expr));
  const queried = new Set([...rules, ...dashboard].flatMap((expr) => [...expr.matchAll(METRIC)].map((m) => m[1]!)));
  t.ok(queried.size >= 6, `${queried.size} metrics queried`);
  t.same([...queried].filter((name) => !exported.has(name)), [], 'every queried metric is exported');
  const readme = file('README.md');
  const ours = [...text.matchAll(/^# TYPE (atlas_metacontroller_\S+) /gm)].map((m) => m[1]!);
  t.same(ours.filter((name) => !readme.includes(`\`${name}\``)), [], 'the README documents every atlas_metacontroller metric');
});
