/** Schema pieces shared by the atlas.mongodb.com/v1 kinds. */
import { Type, type Static } from '@sinclair/typebox';

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


/** A CEL rule carried into the CRD, checked by the API server. */
export function cel(rule: string, message: string): { 'x-kubernetes-validations': Array<{ rule: string; message: string }> } {
  return { 'x-kubernetes-validations': [{ rule, message }] };
}

/** The printer column every kind shows, as the official operator's CRDs do. */
export const READY_COLUMN = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' } as const;
