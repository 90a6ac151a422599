/**
 * Fields a user set that the kind's schema does not define: kept by the API server (our
 * CRDs prune nothing, so objects of the official operator survive), never acted on, and
 * said out loud on the object rather than silently ignored.
 */
/** The parts of a JSON schema (TypeBox's output) the walk reads. */
interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  [keyword: string]: unknown;
}

/**
 * A schema node the CRD types as the official operator does, so stored objects keep it
 * whole and are validated, but whose field this operator does not act on yet: it counts as
 * unmanaged when set. The CRD generator strips the keyword.
 */
export const KEPT_NOT_MANAGED = 'x-atlas-kept-not-managed';

/** The informational condition: Unknown while such fields are set; it never holds Ready. */
export const FIELDS_MANAGED = 'FieldsManaged';
export const NOT_SUPPORTED = 'NotSupportedByThisOperator';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths under `at` that `schema` does not define, as a user writes them: `spec.teams`, `spec.roles[0].extra`. */
export function unmanagedFields(schema: SchemaNode, value: unknown, at = 'spec', out: string[] = []): string[] {
  if (out.length >= 20) return out;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    // A union defines what any of its objects defines.
    const objects = alternatives.filter((s) => s.type === 'object' && s.properties);
    if (objects.length > 0) return unmanagedFields({ type: 'object', properties: Object.assign({}, ...objects.map((s) => s.properties)) }, value, at, out);
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    value.forEach((item, i) => unmanagedFields(schema.items!, item, `${at}[${i}]`, out));
    return out;
  }
  if (schema.type !== 'object' || !schema.properties || !isObject(value)) return out;
  const properties = schema.properties;
  for (const [key, child] of Object.entries(value)) {
    const defined = properties[key];
    if (!defined || defined[KEPT_NOT_MANAGED] === true) out.push(`${at}.${key}`);
    else unmanagedFields(defined, child, `${at}.${key}`, out);
    if (out.length >= 20) break;
  }
  return out;
}

/** The condition's message: the fields, and what that means for Atlas. */
export function unmanagedMessage(fields: string[]): string {
  // A key is as long as its writer wants: each is shortened, so status stays small.
  const shown = fields.map((field) => (field.length > 120 ? `${field.slice(0, 120)}…` : field));
  const named = fields.length >= 20 ? `${shown.join(', ')} and more` : shown.join(', ');
  return `${named}: kept as given but not managed by this operator; Atlas is left as it is for them`;
}
