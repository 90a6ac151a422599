/** Spec validation against a kind's TypeBox schema, in the words a user needs. */
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

// TypeBox knows no string format until one is registered: without these, every spec using
// one (an access-list entry's deleteAfterDate, an AtlasTeam's usernames) would be refused.
// The API server checks the same formats loosely; so do these.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)));
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (value) => /^[^\s@]+@[^\s@]+$/.test(value));

/** Compiled once per schema: every sync checks its spec, and most specs are valid. */
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker(schema: TSchema): TypeCheck<TSchema> {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = TypeCompiler.Compile(schema)));
  return check;
}

/** The first schema problem, named by field as a user writes it: `spec.roles[0].roleName: …`. */
export function schemaProblem(schema: TSchema, value: unknown): string | undefined {
  const check = checker(schema);
  if (check.Check(value)) return undefined;
  const error = check.Errors(value).First();
  if (!error) return undefined;
  return `spec${error.path.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}: ${error.message}`;
}
