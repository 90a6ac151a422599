/** Spec validation against a kind's TypeBox schema, in the words a user needs. */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The first schema problem, named by field as a user writes it: `spec.roles[0].roleName: …`. */
export function schemaProblem(schema: TSchema, value: unknown): string | undefined {
  const error = Value.Errors(schema, value).First();
  if (!error) return undefined;
  return `spec${error.path.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}: ${error.message}`;
}
