/**
 * ../shared (the Atlas spec and recordings) is beside the checkout in CI and on developer
 * machines. Where it is absent, suites that need it skip and say so; everything else runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const SPEC_PATH = `${SHARED}atlas-openapi/spec.yaml`;
export const RECORDINGS = `${SHARED}atlas-recordings/`;
export const hasSpec = existsSync(SPEC_PATH);
export const hasRecordings = existsSync(RECORDINGS);
export const skipWithoutSpec = hasSpec ? false : `../shared/atlas-openapi/spec.yaml is absent (${SPEC_PATH}): suites that read it are skipped`;
export const skipWithoutRecordings = hasRecordings ? false : `../shared/atlas-recordings is absent (${RECORDINGS}): suites that read it are skipped`;

type Json = Record<string, any>;

/**
 * The spec models polymorphism as a base with a discriminator whose oneOf lists subtypes
 * that allOf the base again: without discriminator support that validates forever, and a
 * plain oneOf fails where subtypes overlap. Each base becomes "if the discriminator says X,
 * then subtype X", and subtypes extend a copy of the base without that choice.
 */
function applyDiscriminators(input: Json): Json {
  const schemas = recordedOverrides(oneOfAsAnyOf(input) as Json);
  const out: Json = { ...schemas };
  const polymorphic = new Set(Object.keys(schemas).filter((name) => schemas[name].discriminator?.mapping));
  for (const name of polymorphic) {
    const { oneOf: _o, anyOf: _a, discriminator, ...base } = schemas[name];
    out[`${name}__base`] = base;
    const property: string = discriminator.propertyName;
    out[name] = {
      ...base,
      allOf: [
        ...(base.allOf ?? []),
        ...Object.entries(discriminator.mapping as Record<string, string>).map(([value, ref]) => ({
          if: { properties: { [property]: { const: value } }, required: [property] },
          then: { $ref: ref },
        })),
      ],
    };
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!Array.isArray(schema.allOf) || polymorphic.has(name)) continue;
    out[name] = {
      ...schema,
      allOf: schema.allOf.map((part: Json) => {
        const target = typeof part.$ref === 'string' ? part.$ref.replace('#/components/schemas/', '') : undefined;
        return target && polymorphic.has(target) ? { $ref: `#/components/schemas/${target}__base` } : part;
      }),
    };
  }
  return out;
}

/**
 * Where the spec and the recorded Atlas responses disagree, the recordings win
 * (DEVELOPERS.md). Each override names its evidence in ../shared/atlas-recordings.
 */
function recordedOverrides(schemas: Json): Json {
  // Every recorded error has string parameters: ["cluster-712","6a799efb…"] (CLUSTER_NOT_FOUND).
  schemas.ApiError.properties.parameters.items = {};
  // Recorded clusters say "adaptiveCapacity":null (clusters/file/…/GET_…cluster-926_1).
  for (const name of Object.keys(schemas)) {
    const props = schemas[name].properties ?? schemas[name].allOf?.find((p: Json) => p.properties)?.properties;
    if (!props) continue;
    if (props.adaptiveCapacity) {
      props.adaptiveCapacity.nullable = true;
      if (Array.isArray(props.adaptiveCapacity.enum)) props.adaptiveCapacity.enum.push(null);
    }
    // Recorded biConnector: {"enabled":false,"readPreference":"secondary"}, lower case.
    if (Array.isArray(props.readPreference?.enum)) {
      props.readPreference.enum = [...props.readPreference.enum, ...props.readPreference.enum.map((v: string) => v.toLowerCase())];
    }
  }
  // The spec types some enum choices as objects (regionName, min/maxInstanceSize); Atlas
  // sends and takes strings ("US_EAST_1", "M40").
  const untypeEnumChoices = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(untypeEnumChoices);
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    const choices = n.anyOf ?? n.oneOf;
    if (n.type === 'object' && Array.isArray(choices) && choices.every((c: Json) => Array.isArray(c.enum))) delete n.type;
    Object.values(n).forEach(untypeEnumChoices);
  };
  untypeEnumChoices(schemas);
  return schemas;
}

/**
 * A oneOf without a discriminator lists variants that overlap (a valid AWS hardware spec
 * satisfies the Azure one too), so "exactly one" can never hold; read it as anyOf.
 */
function oneOfAsAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(oneOfAsAnyOf);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = oneOfAsAnyOf(value);
  if (Array.isArray(out.oneOf) && !out.discriminator) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  return out;
}

/** Validates response bodies against the official OpenAPI document. */
export class SpecValidator {
  private readonly spec: Json;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  constructor() {
    this.spec = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 });
    // OpenAPI 3.0 is not plain JSON Schema: vendor keywords and formats like int64 are
    // ignored; types, required fields, enums and nullable are checked.
    // Some spec patterns use escapes (\:) that the u flag refuses, others need it (\p{L}).
    const regExp = (pattern: string, flags: string) => {
      try {
        return new RegExp(pattern, flags);
      } catch {
        return new RegExp(pattern, flags.replace('u', ''));
      }
    };
    this.ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { regExp: regExp as any } });
    this.ajv.addSchema({ $id: 'atlas', components: { schemas: applyDiscriminators(this.spec.components.schemas) } });
  }

  /** The spec's path template for a fastify route (`:groupId` → `{groupId}`). */
  static specPath(route: string): string {
    // `::` is fastify's literal colon (flexClusters:tenantUpgrade); `:teamId(^…)` a parameter with its pattern.
    return route.replace(/::/g, '\0').replace(/:(\w+)(\([^)]*\))?/g, '{$1}').replace(/\0/g, ':');
  }

  /**
   * Errors for this response; undefined when valid. The spec's status is used when listed,
   * else its 2xx answer for any 2xx (the recordings show 201/202 where the spec says 200/204).
   */
  validate(method: string, route: string, status: number, mediaType: string, body: unknown): string | undefined {
    const key = `${method} ${route} ${status} ${mediaType}`;
    if (!this.compiled.has(key)) this.compiled.set(key, this.compile(method, route, status, mediaType));
    const validate = this.compiled.get(key);
    // Deletes answer 202 {} in the recordings where the spec documents no body.
    if (!validate && status === 202 && JSON.stringify(body) === '{}') return undefined;
    if (!validate) return `no schema in the spec for ${key}`;
    return validate(body) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }

  /** Errors for a request body, against the operation's requestBody schema for that media type. */
  validateRequest(method: string, route: string, mediaType: string, body: unknown): string | undefined {
    const key = `request ${method} ${route} ${mediaType}`;
    if (!this.compiled.has(key)) {
      const operation = this.spec.paths[SpecValidator.specPath(route)]?.[method.toLowerCase()];
      const schema = operation?.requestBody?.content?.[mediaType]?.schema;
      this.compiled.set(key, schema ? this.ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"atlas#/components/'))) : undefined);
    }
    const validate = this.compiled.get(key);
    if (!validate) return `no request schema in the spec for ${key}`;
    return validate(body) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }

  private compile(method: string, route: string, status: number, mediaType: string): ValidateFunction | undefined {
    const operation = this.spec.paths[SpecValidator.specPath(route)]?.[method.toLowerCase()];
    if (!operation) return undefined;
    const responses = operation.responses as Json;
    let response = responses[String(status)];
    if (!response && status < 300) response = Object.entries(responses).find(([code]) => code.startsWith('2'))?.[1];
    if (response?.$ref) response = this.resolve(response.$ref);
    const content = response?.content?.[mediaType] ?? response?.content?.['application/json'];
    if (!content?.schema) return undefined;
    const schema = JSON.parse(JSON.stringify(content.schema).replaceAll('"#/components/', '"atlas#/components/'));
    return this.ajv.compile(schema);
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, part) => node[part], this.spec);
  }
}
