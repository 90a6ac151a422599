/**
 * `atlas-metacontroller plan -f <manifests>`: what a sync of each object would write to
 * Atlas, as Terraform's plan shows it, from reads only. The manifests play the cluster:
 * each object of ours is planned through the same hook server the operator runs (in
 * memory, POST /hooks/<kind>/plan), with the related objects Metacontroller would send.
 * Projects go first, so the project id a plan finds in Atlas reaches their clusters and
 * users.
 */
import { AtlasHttp } from '../atlas/http.js';
import { operatorIdentity } from '../config/identity.js';
import { parseFlags, UsageError, type FlagValues } from '../config/flags.js';
import type { PlanResponse } from '../kernel/contract.js';
import type { Condition } from '../kernel/conditions.js';
import { loadManifestFile, relatedFor } from '../demo/objects.js';
import { allKinds } from '../kinds/index.js';
import { buildHookServer } from '../server/app.js';
import { createLogger } from '../logging.js';
import { serveFlags } from '../server/serve.js';

const files = (text: string) => [text];

function outputFormat(text: string): 'table' | 'json' {
  if (text !== 'table' && text !== 'json') throw new Error(`"${text}" is not table or json`);
  return text;
}

export const planFlags = {
  filename: { env: 'PLAN_FILES', short: 'f', kind: 'list' as const, help: 'a manifest file (YAML, many documents): the objects to plan and their Secrets', default: [] as string[], parse: files },
  secret: { env: 'PLAN_SECRETS', kind: 'list' as const, help: 'a manifest file of Secrets (credentials, passwords) the objects refer to', default: [] as string[], parse: files },
  'atlas-domain': serveFlags['atlas-domain'],
  'operator-namespace': serveFlags['operator-namespace'],
  'global-api-secret-name': serveFlags['global-api-secret-name'],
  output: { env: 'PLAN_OUTPUT', help: 'table or json', default: 'table', parse: outputFormat },
};

export type PlanFlags = FlagValues<typeof planFlags>;

export interface ObjectPlan {
  object: string;
  changes: PlanResponse['changes'];
  ready: Condition | undefined;
}

/** Projects first: their planned status (the Atlas id) is what their clusters and users need. */
const ORDER = ['AtlasProject', 'AtlasCluster', 'AtlasDeployment', 'AtlasDatabaseUser'];

export async function plan(flags: PlanFlags): Promise<ObjectPlan[]> {
  const objects = [...flags.filename, ...flags.secret].flatMap((file) => loadManifestFile(file));
  const kinds = allKinds();
  const parents = objects
    .filter((o) => kinds.some((k) => k.kind === o.kind && k.apiVersion === o.apiVersion))
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  if (parents.length === 0) throw new UsageError(`no ${ORDER.join(', ')} in ${flags.filename.join(', ') || 'the files given (-f)'}`);

  const logger = createLogger('silent');
  const identity = operatorIdentity({ namespace: flags['operator-namespace'], globalSecretName: flags['global-api-secret-name'] || undefined });
  const atlasHttp = new AtlasHttp({ baseUrl: flags['atlas-domain'], logger });
  const { app } = buildHookServer({ logger, kinds, env: { identity, atlasHttp, now: () => new Date() }, hookTimeoutMs: 60_000, hookBudgetMs: 50_000, bodyLimitBytes: 64 * 1024 * 1024 });
  try {
    const plans: ObjectPlan[] = [];
    for (const parent of parents) {
      const controller = kinds.find((k) => k.kind === parent.kind)!;
      const related = relatedFor(controller.customize(parent, identity), objects);
      const res = await app.inject({ method: 'POST', url: `/hooks/${controller.route}/plan`, payload: { controller: {}, parent, children: {}, related } });
      if (res.statusCode !== 200) throw new Error(`${parent.kind} ${parent.metadata.namespace}/${parent.metadata.name}: ${res.json<{ message: string }>().message}`);
      const answer = res.json<PlanResponse>();
      // What the plan found (a project's Atlas id) is what the next objects are planned against.
      parent.status = answer.status;
      plans.push({
        object: `${parent.kind} ${parent.metadata.namespace}/${parent.metadata.name}`,
        changes: answer.changes,
        ready: ((answer.status as { conditions?: Condition[] }).conditions)?.find((c) => c.type === 'Ready'),
      });
    }
    return plans;
  } finally {
    await app.close();
    await atlasHttp.close();
  }
}

/** The plan as a table: one row per write, and each object's state once they are done. */
export function formatPlan(plans: ObjectPlan[]): string {
  const lines: string[] = [];
  let writes = 0;
  for (const p of plans) {
    lines.push(p.object);
    if (p.changes.length === 0) lines.push('  no changes');
    for (const change of p.changes) lines.push(`  ${change.method.padEnd(6)} ${change.path}\n         ${change.summary}`);
    writes += p.changes.length;
    const ready = p.ready;
    if (ready) lines.push(`  then: Ready=${ready.status}${ready.status === 'True' ? '' : ` (${ready.reason ?? ''}${ready.message ? `: ${ready.message}` : ''})`}`);
  }
  lines.push('', `Plan: ${writes} Atlas write${writes === 1 ? '' : 's'} for ${plans.length} object${plans.length === 1 ? '' : 's'}. Nothing was written.`);
  return lines.join('\n');
}

export async function runPlan(argv: string[], env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<ObjectPlan[]> {
  const flags = parseFlags(planFlags, argv, env);
  const plans = await plan(flags);
  print(flags.output === 'json' ? JSON.stringify(plans, null, 2) : formatPlan(plans));
  return plans;
}
