/** Checks shared by the kinds' spec validation and create paths. */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AtlasApiError } from '../atlas/errors.js';

/** The first schema problem, named by field as a user writes it: `spec.roles[0].roleName: …`. */
export function schemaProblem(schema: TSchema, value: unknown): string | undefined {
  const error = Value.Errors(schema, value).First();
  if (!error) return undefined;
  return `spec${error.path.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}: ${error.message}`;
}

/**
 * Create, and when Atlas says it already exists (another replica, or a lost answer to our
 * own create), adopt what is there.
 */
export async function createOrAdopt<T>(create: () => Promise<T>, alreadyExists: string, find: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof AtlasApiError && error.is(alreadyExists)) {
      const adopted = await find();
      if (adopted) return adopted;
    }
    throw error;
  }
}
