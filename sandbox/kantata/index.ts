/**
 * An in-memory Kantata OX API (v1) for tests, demo, sandbox and benchmarks: external payments plus the pickers
 * (workspaces, invoices) and `users/me`. It follows /work/shared/reference/kantata-external-payments.md and checks
 * what it receives: auth, query parameters, content type and the create body.
 *
 * state.ts holds the records, seed.ts what they start as; routes.ts answers a request (auth.ts, payments.ts,
 * query.ts, validation.ts, responses.ts).
 */
import { ApiServer } from '../server';
import type { SandboxApi } from '../server';
import { API_PREFIX, handleKantata } from './routes';
import { KantataState } from './state';

export { isoSeconds } from './records';
export type { ExternalPayment } from './records';
export { kantataErrorBody } from './responses';
export { DEFAULT_TOKEN, DEFAULT_USER_ID } from './seed';
export { KantataState } from './state';

/** A Kantata OX API on an ApiServer (not started yet: `await api.server.start()`). */
export function createKantataApi(): SandboxApi<KantataState> {
	const state = new KantataState();
	const server = new ApiServer((request) => handleKantata(state, request), API_PREFIX);
	return { server, state };
}
