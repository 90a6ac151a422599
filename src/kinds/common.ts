/** Schema pieces shared by the atlas.mongodb.com/v1 kinds. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { KEPT_NOT_MANAGED } from '../kernel/unmanaged.js';

export const GROUP = 'atlas.mongodb.com';
export const API_VERSION = `${GROUP}/v1`;

/** The official operator's condition: no per-condition observedGeneration. */
export const Condition = Type.Object({
  type: Type.String(),
  // No enum: the official CRD has none, and stored objects must stay writable.
  status: Type.String({ description: 'True, False or Unknown.' }),
  lastTransitionTime: Type.Optional(Type.String({ format: 'date-time' })),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export const CommonStatus = {
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
  conditions: Type.Optional(Type.Array(Condition)),
};

export const ResourceRef = Type.Object({ name: Type.String({ minLength: 1 }) });
export type ResourceRef = Static<typeof ResourceRef>;

export const ResourceRefNamespaced = Type.Object({
  name: Type.String({ minLength: 1 }),
  namespace: Type.Optional(Type.String()),
});
export type ResourceRefNamespaced = Static<typeof ResourceRefNamespaced>;


/** The official CEL rules of every kind that takes a projectRef or an externalProjectRef with its connectionSecret. */
export const PROJECT_REFERENCE_RULES = [
  { rule: '(has(self.externalProjectRef) && !has(self.projectRef)) || (!has(self.externalProjectRef) && has(self.projectRef))', message: 'must define only one project reference through externalProjectRef or projectRef' },
  { rule: '(has(self.externalProjectRef) && has(self.connectionSecret)) || !has(self.externalProjectRef)', message: 'must define a local connection secret when referencing an external project' },
];

/** The same rules in the hooks, for objects that got past an older CRD: the problem, naming the field. */
export function projectReferenceProblem(spec: { projectRef?: unknown; externalProjectRef?: unknown; connectionSecret?: unknown }): string | undefined {
  if (!spec.projectRef && !spec.externalProjectRef) return 'spec.projectRef or spec.externalProjectRef is required';
  if (spec.externalProjectRef && !spec.connectionSecret) return 'spec.connectionSecret is required with spec.externalProjectRef';
  return undefined;
}

/** With externalProjectRef: where the project's organization goes on record. */
export const ExternalProjectOrg = Type.Optional(Type.String({ description: 'With externalProjectRef: the organization the project was first seen in; credentials of another are refused.' }));

/** A CEL rule carried into the CRD, checked by the API server. */
export function cel(rule: string, message: string): { 'x-kubernetes-validations': Array<{ rule: string; message: string }> } {
  return { 'x-kubernetes-validations': [{ rule, message }] };
}

/** The printer column every kind shows, as the official operator's CRDs do. */
export const READY_COLUMN = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' } as const;

/** A field typed as the official CRD types it, kept and validated, but not managed yet (FieldsManaged reports it). */
export function kept<T extends TSchema>(schema: T): T {
  return { ...schema, [KEPT_NOT_MANAGED]: true };
}

/** The official tag key and value rule (deployments, flex clusters, projects). */
const TAG_TEXT = { minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9][a-zA-Z0-9 @_.+`;`-]*$' };
export const Tags = Type.Array(Type.Object({ key: Type.String(TAG_TEXT), value: Type.String(TAG_TEXT) }), { maxItems: 50 });

/** Compute autoscaling, as every cluster shape of the official CRDs spells it. */
export const ComputeAutoScaling = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  scaleDownEnabled: Type.Optional(Type.Boolean()),
  minInstanceSize: Type.Optional(Type.String()),
  maxInstanceSize: Type.Optional(Type.String()),
});

/** One private-endpoint connection string of a cluster, as Atlas and the official CRDs spell it. */
export const PrivateEndpointStrings = Type.Object({
  connectionString: Type.Optional(Type.String()),
  srvConnectionString: Type.Optional(Type.String()),
  srvShardOptimizedConnectionString: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  endpoints: Type.Optional(
    Type.Array(Type.Object({ endpointId: Type.Optional(Type.String()), ip: Type.Optional(Type.String()), providerName: Type.Optional(Type.String()), region: Type.Optional(Type.String()) })),
  ),
});

/** A cluster's status as both cluster kinds report it, from Atlas's answer. */
export const ClusterStatusFields = {
  stateName: Type.Optional(Type.String({ description: "Atlas's stateName: IDLE, CREATING, UPDATING, DELETING, REPAIRING." })),
  mongoDBVersion: Type.Optional(Type.String()),
  connectionStrings: {
    standard: Type.Optional(Type.String()),
    standardSrv: Type.Optional(Type.String()),
    private: Type.Optional(Type.String()),
    privateSrv: Type.Optional(Type.String()),
    privateEndpoint: Type.Optional(Type.Array(PrivateEndpointStrings)),
  },
  mongoURIUpdated: Type.Optional(Type.String()),
};
