/**
 * AtlasIPAccessList: entries of one project's IP access list, in a project an AtlasProject
 * manages or one an externalProjectRef names. Decisions are in plan.ts.
 */
import { stringAt } from '../../kernel/contract.js';
import { step, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { readEach } from '../../kernel/status-reads.js';
import { projectReads } from '../atlasproject/atlas.js';
import { API_VERSION } from '../common.js';
import { connectToProjectWith, goneWithProject, projectOrExternalRules, type InProject } from '../project-scope.js';
import { checkAccessListSpec, IP_ACCESS_LIST_READY, planActivation, planEntries, planEntriesRemoval, uncertainKeys, type AccessListScope } from './plan.js';
import { AtlasIPAccessListSpec } from './schema.js';

const reasons = { create: 'ProjectIPAccessListNotCreatedInAtlas', update: 'ProjectIPAccessListNotCreatedInAtlas', delete: 'ProjectIPAccessListNotCreatedInAtlas' };

const entriesStep = step({
  name: 'access-list entries',
  condition: IP_ACCESS_LIST_READY,
  reasons,
  observe: ({ scope }, atlas) => projectReads.accessList(atlas, scope.groupId),
  plan: planEntries,
});

const activationStep = step({
  name: 'access-list activation',
  condition: IP_ACCESS_LIST_READY,
  reasons,
  async observe(input, atlas) {
    if (input.dryRun) return [];
    return readEach(uncertainKeys(input), async (key) => ({ key, state: await projectReads.accessListStatus(atlas, input.scope.groupId, key) }));
  },
  plan: planActivation,
});

export const atlasIPAccessListKind: ManagedKind<AtlasIPAccessListSpec, AccessListScope> = {
  kind: 'AtlasIPAccessList',
  apiVersion: API_VERSION,
  route: 'atlasipaccesslist',
  readyCondition: IP_ACCESS_LIST_READY,
  conditionTypes: [IP_ACCESS_LIST_READY],
  customize: projectOrExternalRules,
  validate: checkAccessListSpec,
  specSchema: AtlasIPAccessListSpec,
  observedStatus: (parent) => {
    const entries = (parent.status as { entries?: unknown } | undefined)?.entries;
    const orgId = stringAt(parent.status, 'orgId');
    return { ...(Array.isArray(entries) ? { entries } : {}), ...(orgId ? { orgId } : {}) };
  },
  connect: connectToProjectWith({ desiredKeys: [] as string[], added: [] as string[] }),
  steps: [entriesStep, activationStep],
  deletion: {
    noun: 'its access-list entries',
    observe: ({ scope }, atlas) => projectReads.accessList(atlas, scope.groupId),
    plan: planEntriesRemoval,
    goneOn: (error, { scope }, atlas) => goneWithProject(error, scope as InProject, atlas),
  },
};

export const atlasIPAccessList = managedController(atlasIPAccessListKind);
