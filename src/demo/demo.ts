/**
 * `atlas-metacontroller demo`: the simulator and the hook server in one process, and the
 * example objects played through them as Metacontroller would, printing each object's
 * conditions as they change. Time is the simulator's: it moves forward by each answer's
 * resyncAfterSeconds, so a cluster's ten minutes of provisioning pass at once.
 */
import { parseFlags, parsers, type FlagSpecs } from '../config/flags.js';
import type { KubeObject } from '../kernel/contract.js';
import { allKinds } from '../kinds/index.js';
import { createLogger } from '../logging.js';
import { parseServeOptions, startHookServer } from '../server/serve.js';
import { startSimulator } from '../sim/server.js';
import type { SimStore } from '../sim/store.js';
import { conditions, MetacontrollerDriver } from './driver.js';
import { examplesDir, loadManifests, projectsInOrder } from './objects.js';

export const demoFlags = {
  port: { env: 'PORT', help: 'TCP port of the hook server', default: 8080, parse: parsers.port },
  'sim-port': { env: 'SIM_PORT', help: 'TCP port of the Atlas simulator', default: 9090, parse: parsers.port },
  'log-level': { env: 'LOG_LEVEL', help: 'log level of the hook server', default: 'warn', parse: parsers.logLevel },
  exit: { env: 'DEMO_EXIT', help: 'stop after playing the examples instead of serving on', default: false, parse: parsers.boolean, kind: 'boolean' },
} satisfies FlagSpecs;

export interface Demo {
  hooksUrl: string;
  simUrl: string;
  close(): Promise<void>;
}

/** The Atlas backup schedule an AtlasDeployment's backupRef set, in a line. */
function backupScheduleOf(store: SimStore, deployment: KubeObject): string | undefined {
  const spec = deployment.spec as { backupRef?: unknown; deploymentSpec?: { name?: string } } | undefined;
  if (!spec?.backupRef || !spec.deploymentSpec?.name) return undefined;
  const cluster = [...store.projects.keys()].map((id) => store.clustersOf(id).get(spec.deploymentSpec!.name!)).find(Boolean);
  const schedule = cluster?.backupSchedule;
  if (!schedule) return undefined;
  const items = (schedule.policies?.[0]?.policyItems ?? []).map((i: Record<string, unknown>) => `${i.frequencyType} ${i.frequencyInterval} kept ${i.retentionValue} ${i.retentionUnit}`);
  return `snapshots at ${String(schedule.referenceHourOfDay).padStart(2, '0')}:${String(schedule.referenceMinuteOfHour).padStart(2, '0')} UTC, restore window ${schedule.restoreWindowDays} days, ${items.join('; ')}`;
}

function masked(key: string, value: string): string {
  if (key === 'password') return '********';
  return value.replace(/(mongodb(?:\+srv)?:\/\/[^:]+:)[^@]+@/, '$1********@');
}

/** The typo in examples/atlasproject-invalid-ip.yaml, and the address the demo fixes it to. */
const TYPO = { from: '192.0.2.1dfdfd5', to: '192.0.2.16' };

export async function runDemo(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void = console.log): Promise<Demo> {
  const values = parseFlags(demoFlags, argv, env);
  // Access-list activation takes a minute, a cluster ten, in simulated time.
  // Sequential ids: the projects get the ids examples/hooks/ names, so those payloads replay here.
  const sim = await startSimulator({ port: values['sim-port'], provisionSeconds: 600, ids: 'sequential' });
  const serve = parseServeOptions(['--port', String(values.port), '--host', '127.0.0.1', '--atlas-domain', sim.url], {});
  // One clock: the hooks see the simulator's time, so the resync schedule and expiry show.
  const hooks = await startHookServer(serve, allKinds(), createLogger(values['log-level']), { now: () => new Date(sim.control.now()) });
  const objects = loadManifests(examplesDir);
  const driver = new MetacontrollerDriver({ hooksUrl: hooks.url, objects, advance: (s) => sim.control.advance(s), print });

  print(`Atlas simulator: ${sim.url}   hook server: ${hooks.url}`);
  print('Playing examples/*.yaml through the hooks as Metacontroller would:\n');
  for (const parent of projectsInOrder(objects)) await driver.reconcile(parent);

  const broken = objects.find((o) => JSON.stringify(o.spec ?? {}).includes(TYPO.from));
  if (broken && conditions(broken).find((c) => c.type === 'Ready')?.status === 'False') {
    print(`\nFixing the typo in ${broken.metadata.namespace}/${broken.metadata.name}: ${TYPO.from} → ${TYPO.to}`);
    const spec = JSON.parse(JSON.stringify(broken.spec).replace(TYPO.from, TYPO.to)) as KubeObject['spec'];
    broken.spec = spec;
    broken.metadata.generation = (broken.metadata.generation ?? 1) + 1;
    await driver.reconcile(broken);
  }

  print('');
  for (const parent of objects.filter((o) => o.kind === 'AtlasCluster' || o.kind === 'AtlasDeployment')) {
    const { stateName, mongoDBVersion, connectionStrings } = (await driver.reconcile(parent)).status as Record<string, any>;
    print(`  status: ${stateName}, MongoDB ${mongoDBVersion}, ${connectionStrings?.standardSrv ?? 'no connection string yet'}`);
    const backup = backupScheduleOf(sim.control.store, parent);
    if (backup) print(`  backup schedule in Atlas: ${backup}`);
  }

  print('');
  for (const parent of objects.filter((o) => o.kind === 'AtlasDatabaseUser')) {
    await driver.reconcile(parent);
    for (const child of driver.childrenOf(parent)) {
      print(`  connection Secret ${child.metadata.namespace}/${child.metadata.name} (password masked):`);
      const data = child.data as Record<string, string>;
      for (const key of Object.keys(data).sort()) print(`    ${key}: ${masked(key, Buffer.from(data[key]!, 'base64').toString())}`);
    }
  }

  print(`\nIn the simulator now: ${JSON.stringify(sim.control.state().projects.map((p) => ({ name: p.name, accessList: p.accessList.map((e) => e.cidrBlock), clusters: p.clusters.map((c) => `${c.name} ${c.stateName}`) })))}`);
  print(`\nReplay a hook yourself:  curl -s ${hooks.url}/hooks/atlasproject/sync -H 'content-type: application/json' -d @examples/hooks/atlasproject-my-project-sync.json`);
  print(`Ask the simulator:       curl -s --digest -u demopubk:demo-private-key-not-a-secret -H 'Accept: application/vnd.atlas.2023-01-01+json' ${sim.url}/api/atlas/v2/groups`);
  const close = async () => {
    await hooks.shutdown();
    await sim.close();
  };
  if (values.exit) await close();
  else print('\nServing until Ctrl-C.');
  return { hooksUrl: hooks.url, simUrl: sim.url, close };
}
