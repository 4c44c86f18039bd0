/**
 * A stand-in for the Moneybird API v2 (only what the payments node uses), for tests, demo, sandbox and benchmarks.
 * It checks requests the way the official OpenAPI description (moneybird-openapi-subset.json) says the real API
 * does: bearer token and scopes, `.json` paths, the `{ payment: { … } }` body with no unknown keys, `money` and
 * `identifier` values, the companion field of each `manual_payment_action`, and references that must exist.
 *
 * state.ts holds the records, seed.ts what they start as; routes.ts answers a request (auth.ts, oauth.ts,
 * validation.ts with losslessJson.ts, money.ts, periods.ts, responses.ts); rateLimit.ts is Moneybird's 429.
 */
import { ApiServer } from '../server';
import type { SandboxApi } from '../server';
import { TOKEN_PATH } from './oauth';
import { API_PREFIX, handleMoneybird } from './routes';
import { MoneybirdState } from './state';

export { MONEYBIRD_SCOPES } from './auth';
export { DEFAULT_OAUTH_CLIENT } from './oauth';
export { moneybirdRateLimit } from './rateLimit';
export { DEFAULT_REFRESH_TOKEN, DEFAULT_TOKEN, MONEYBIRD_SEED } from './seed';
export { MoneybirdState } from './state';
export { signDelivery } from './webhooks';

/** A Moneybird API on an ApiServer (not started yet: `await api.server.start()`). */
export function createMoneybirdApi(): SandboxApi<MoneybirdState> {
	const state = new MoneybirdState();
	const server = new ApiServer((request) => handleMoneybird(state, request), API_PREFIX);
	server.onStop.push(() => state.webhooks.stop());
	return { server, state };
}

/** The OAuth2 token endpoint of a Moneybird API on this server (outside the API prefix). */
export function moneybirdTokenUrl(server: ApiServer): string {
	return server.url.slice(0, -API_PREFIX.length) + TOKEN_PATH;
}
