/**
 * Metacontroller's hook wire contract (CompositeController, hooks `version: v2`) as TypeBox
 * schemas. Requests are validated only as far as the kernel depends on them: the parent's
 * identity. Each kind validates its own spec and reports problems as conditions, because a
 * 400 would leave the user with nothing but a SyncError event.
 */
import { Type, type Static } from '@sinclair/typebox';

// Lengths as Kubernetes limits them, so a hostile value never reaches a message or a log line.
const ObjectMeta = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 253 }),
    namespace: Type.Optional(Type.String({ maxLength: 63 })),
    uid: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer({ minimum: 0 })),
    resourceVersion: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    deletionTimestamp: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const KubeObject = Type.Object(
  {
    apiVersion: Type.String({ minLength: 1, maxLength: 317 }),
    kind: Type.String({ minLength: 1, maxLength: 63 }),
    metadata: ObjectMeta,
  },
  { additionalProperties: true },
);
export type KubeObject = Static<typeof KubeObject> & Record<string, unknown>;

/** `"Kind.apiVersion"` → (`"namespace/name"` or `"name"`) → object; the v2 key format. */
export const ObjectMap = Type.Record(Type.String(), Type.Record(Type.String(), KubeObject));
export type ObjectMap = Record<string, Record<string, KubeObject>>;

export const SyncRequest = Type.Object(
  {
    controller: Type.Optional(Type.Object({}, { additionalProperties: true })),
    parent: KubeObject,
    children: Type.Optional(ObjectMap),
    related: Type.Optional(ObjectMap),
    finalizing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type SyncRequest = Static<typeof SyncRequest>;

export const CustomizeRequest = Type.Object(
  {
    controller: Type.Optional(Type.Object({}, { additionalProperties: true })),
    parent: KubeObject,
  },
  { additionalProperties: true },
);
export type CustomizeRequest = Static<typeof CustomizeRequest>;

/**
 * Responses list only the four fields Metacontroller's strict v2 decoder accepts; the
 * serializer drops anything else, so a stray field can never fail a sync.
 */
export const SyncResponse = Type.Object(
  {
    status: Type.Object({}, { additionalProperties: true }),
    children: Type.Array(Type.Object({}, { additionalProperties: true })),
    resyncAfterSeconds: Type.Optional(Type.Number({ minimum: 0 })),
    finalized: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SyncResponse = Static<typeof SyncResponse>;

/** The plan hook's answer: the Atlas writes a sync would send, and the status it would report. */
export const PlanResponse = Type.Object(
  {
    changes: Type.Array(Type.Object({ method: Type.String(), path: Type.String(), summary: Type.String() }, { additionalProperties: false })),
    status: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);
export type PlanResponse = Static<typeof PlanResponse>;

/** A DecoratorController's sync and finalize request: the target is `object`, its children `attachments`. */
export const DecoratorRequest = Type.Object(
  {
    controller: Type.Optional(Type.Object({}, { additionalProperties: true })),
    object: KubeObject,
    attachments: Type.Optional(ObjectMap),
    related: Type.Optional(ObjectMap),
    finalizing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type DecoratorRequest = Static<typeof DecoratorRequest>;

/**
 * Only fields Metacontroller's strict decoder accepts. `status`, `labels` and `annotations`
 * are never sent: for a decorator, absent means "leave the target as it is".
 */
export const DecoratorResponse = Type.Object(
  {
    attachments: Type.Array(Type.Object({}, { additionalProperties: true })),
    resyncAfterSeconds: Type.Optional(Type.Number({ minimum: 0 })),
    finalized: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DecoratorResponse = Static<typeof DecoratorResponse>;

const LabelSelector = Type.Object(
  {
    matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
    matchExpressions: Type.Optional(
      Type.Array(
        Type.Object({
          key: Type.String(),
          operator: Type.String(),
          values: Type.Optional(Type.Array(Type.String())),
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const RelatedResourceRule = Type.Object(
  {
    apiVersion: Type.String(),
    resource: Type.String(),
    namespace: Type.Optional(Type.String()),
    names: Type.Optional(Type.Array(Type.String())),
    labelSelector: Type.Optional(LabelSelector),
  },
  { additionalProperties: false },
);
export type RelatedResourceRule = Static<typeof RelatedResourceRule>;

export const CustomizeResponse = Type.Object(
  { relatedResources: Type.Array(RelatedResourceRule) },
  { additionalProperties: false },
);
export type CustomizeResponse = Static<typeof CustomizeResponse>;

/** The v2 key of a namespaced object in `children`/`related`. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The group key of `children`/`related`: `Secret.v1`, `AtlasProject.atlas.mongodb.com/v1`. */
export function groupKey(kind: string, apiVersion: string): string {
  return `${kind}.${apiVersion}`;
}

export function relatedObject(
  map: ObjectMap | undefined,
  kind: string,
  apiVersion: string,
  namespace: string | undefined,
  name: string,
): KubeObject | undefined {
  return map?.[groupKey(kind, apiVersion)]?.[objectKey(namespace, name)];
}

/**
 * A string field of an object not validated yet (customize reads the spec before any
 * schema check), or undefined: an object or array where a name belongs must not reach a
 * rule, a message or the response serializer.
 */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let node = value;
  for (const key of path) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'string' ? node : undefined;
}
