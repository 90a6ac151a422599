/**
 * undici's Agent, its errors and its request API without the rest of undici. The package's
 * index also loads fetch, WebSocket, the cache and the cookie API, and the cookie module's
 * look at globalThis.Headers makes node load its own copy of undici as well: serve uses none
 * of it, and it cost ~8 MiB of RSS and a tenth of start-up. The index gives dispatchers
 * request() by assigning the API to Dispatcher.prototype, so this does the same.
 */
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import errors from 'undici/lib/core/errors.js';

Object.assign(Dispatcher.prototype, api);

export { Agent, errors };
