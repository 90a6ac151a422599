/**
 * CustomResourceDefinitions from the TypeBox schemas, so the API server, the hooks and the
 * types can never disagree. The output is structural: every node has a type.
 */
import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { KEPT_NOT_MANAGED } from '../kernel/unmanaged.js';
import { GROUP } from './common.js';

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  spec: TSchema;
  status: TSchema;
  printerColumns: ReadonlyArray<{ name: string; type: string; jsonPath: string }>;
}

/**
 * TypeBox output less what is not JSON Schema (symbols) and what Kubernetes refuses: a
 * Record's patternProperties becomes additionalProperties, the structural form of a map.
 *
 * Every object keeps the fields it does not define (x-kubernetes-preserve-unknown-fields):
 * applied over an installation of the official operator, a narrower schema would have the
 * API server prune its users' fields on their next write, silently. The hooks report the
 * fields they keep but do not manage (the FieldsManaged condition) instead.
 */
function toOpenApi(schema: TSchema): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(schema, (key, value) => {
      if (key === '$id' || key === KEPT_NOT_MANAGED) return undefined;
      if (value && typeof value === 'object' && value.patternProperties) {
        const { patternProperties, ...rest } = value;
        return { ...rest, additionalProperties: Object.values(patternProperties)[0] };
      }
      if (value && typeof value === 'object' && value.type === 'object' && value.properties) return { ...value, 'x-kubernetes-preserve-unknown-fields': true };
      return value;
    }),
  );
}

export function crd(kind: KindDefinition): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { kind: kind.kind, listKind: `${kind.kind}List`, plural: kind.plural, singular: kind.singular, shortNames: [...kind.shortNames] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          // Metacontroller ignores a parent CRD without the status subresource.
          subresources: { status: {} },
          additionalPrinterColumns: kind.printerColumns.map((c) => ({ ...c })),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toOpenApi(kind.spec),
                status: toOpenApi(kind.status),
              },
            },
          },
        },
      ],
    },
  };
}

export function crdYaml(kind: KindDefinition): string {
  return `# Generated from src/kinds/<kind>/schema.ts by npm run generate:crds; do not edit.\n${stringify(crd(kind), { lineWidth: 0 })}`;
}
