/**
 * Every refused request answers `{error, message, field?}` with a 4xx, never a 500 for bad
 * input: schema errors through fastify's schemaErrorFormatter (the first error, named by
 * field), our own checks as a BadRequest, and fastify's content-type and body errors
 * recognised by their classes.
 */
import createError from '@fastify/error';
import fp from 'fastify-plugin';
import { errorCodes, type FastifyError, type FastifyInstance, type FastifySchemaValidationError } from 'fastify';
import { truncate } from '../payload-guard.js';

/** A request we refuse, naming the field (a JSON pointer) it is about. */
export const BadRequest = createError<[string]>('ATLAS_MC_BAD_REQUEST', '%s', 400);

export function badRequest(field: string, message: string): FastifyError & { field: string } {
  return Object.assign(new BadRequest(message), { field });
}

/** fastify's schemaErrorFormatter: the first schema error, as a BadRequest naming its field. */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[]): Error {
  const first = errors[0]!;
  const missing = (first.params as { missingProperty?: string }).missingProperty;
  const field = `${first.instancePath}${missing ? `/${missing}` : ''}` || '/';
  return badRequest(field, `request body ${truncate(field, 200)} ${first.message ?? 'is invalid'}`);
}

interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

export interface ErrorsOptions {
  bodyLimitBytes: number;
  /** Told of every refused or failed request: the route's metrics. */
  onError?(url: string, status: number): void;
}

function describe(error: FastifyError & { field?: string }, bodyLimit: number): { status: number; body: ErrorBody } {
  if (error instanceof errorCodes.FST_ERR_CTP_BODY_TOO_LARGE) {
    const message = `request body exceeds the ${bodyLimit}-byte limit; raise --body-limit (BODY_LIMIT) for parents with this many children or related objects`;
    return { status: 413, body: { error: 'Payload Too Large', message } };
  }
  if (error instanceof errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE) {
    return { status: 415, body: { error: 'Unsupported Media Type', message: 'hooks take Content-Type: application/json' } };
  }
  if (error instanceof errorCodes.FST_ERR_CTP_INVALID_JSON_BODY || error instanceof errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY) {
    return { status: 400, body: { error: 'Bad Request', message: `request body is not JSON: ${error.message}` } };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const body: ErrorBody = { error: status === 500 ? 'Internal Server Error' : 'Bad Request', message: truncate(error.message, 500) };
  if (status < 500 && error.field !== undefined) body.field = error.field;
  return { status, body };
}

async function errors(app: FastifyInstance, options: ErrorsOptions): Promise<void> {
  if (!Number.isInteger(options.bodyLimitBytes) || options.bodyLimitBytes <= 0) throw new Error('errors plugin: bodyLimitBytes must be a positive integer');
  app.setErrorHandler((error: FastifyError & { field?: string }, request, reply) => {
    const { status, body } = describe(error, options.bodyLimitBytes);
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'hook failed');
    else request.log.warn({ url: request.url, status, error: body.message }, 'rejected hook request');
    options.onError?.(request.url, status);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url}` }));
}

export const errorsPlugin = fp(errors, { name: 'atlas-metacontroller-errors', fastify: '5.x' });
