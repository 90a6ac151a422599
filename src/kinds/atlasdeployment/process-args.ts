/**
 * spec.processArgs: the cluster's advanced configuration options, pure. Only the options
 * the spec sets are enforced. The official CRD types oplogMinRetentionHours as a string;
 * Atlas takes a number.
 */
import type { StepInput, StepPlan } from '../../kernel/managed.js';
import { processArgsRequests, type ProcessArgs } from '../clusters/atlas.js';
import type { DeploymentScope } from './backup.js';
import type { AtlasDeploymentSpec } from './schema.js';

/** The problem with the options as given, if any. */
export function processArgsProblem(spec: AtlasDeploymentSpec): string | undefined {
  const hours = spec.processArgs?.oplogMinRetentionHours;
  if (hours !== undefined && !Number.isFinite(Number(hours))) return `spec.processArgs.oplogMinRetentionHours: "${hours.slice(0, 40)}" is not a number of hours`;
  return undefined;
}

export function desiredProcessArgs(spec: AtlasDeploymentSpec): ProcessArgs {
  const { oplogMinRetentionHours, ...rest } = spec.processArgs ?? {};
  return { ...rest, ...(oplogMinRetentionHours !== undefined ? { oplogMinRetentionHours: Number(oplogMinRetentionHours) } : {}) };
}

export function planProcessArgs(input: StepInput<AtlasDeploymentSpec, DeploymentScope>, actual: ProcessArgs | undefined): StepPlan<DeploymentScope> {
  const done: StepPlan<DeploymentScope> = { writes: [], settle: () => ({ condition: { status: 'True' } }) };
  const { spec, scope } = input;
  if (!spec.processArgs || !spec.deploymentSpec || !actual) return done;
  const desired = desiredProcessArgs(spec);
  const changes = Object.fromEntries(Object.entries(desired).filter(([key, value]) => actual[key] !== value));
  if (Object.keys(changes).length === 0) return done;
  const name = spec.deploymentSpec.name;
  return {
    writes: [{ verb: 'update', request: processArgsRequests.update(scope.groupId, name, changes), summary: `update the advanced options of deployment ${name}: ${Object.keys(changes).join(', ')}` }],
    settle: () => ({ condition: { status: 'True' } }),
  };
}
