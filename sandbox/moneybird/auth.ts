/**
 * Moneybird sandbox auth: a Bearer token the state knows and has not expired (401 with a `WWW-Authenticate`
 * challenge otherwise), holding a scope the route needs (403 naming the scope otherwise). oauth.ts renews tokens.
 */
import type { ApiResponse, RecordedRequest } from '../server';
import type { TokenRecord } from './records';
import { error } from './responses';
import type { MoneybirdState } from './state';

/** The scopes the sandbox's routes need (routes.ts); the default token has them all. */
export const MONEYBIRD_SCOPES = ['sales_invoices', 'documents', 'estimates', 'settings'] as const;
export type MoneybirdScope = (typeof MONEYBIRD_SCOPES)[number];

export function authenticate(state: MoneybirdState, request: RecordedRequest): TokenRecord | ApiResponse {
	const header = request.headers.authorization;
	const match = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header.trim()) : null;
	const challenge = (description: string) => ({
		'WWW-Authenticate': `Bearer realm="Moneybird", error="invalid_token", error_description="${description}"`,
	});
	if (!match) {
		return error(401, 'token is missing', { request: 'invalid_request' }, challenge('No access token given'));
	}
	const record = state.tokens.get(match[1]);
	if (record?.expired) {
		return error(401, 'token is expired', { request: 'invalid_grant' }, challenge('The access token expired'));
	}
	if (!record) {
		return error(401, 'token is invalid', { request: 'invalid_grant' }, challenge('The access token is invalid'));
	}
	return record;
}

/** A 403 unless the token holds one of the route's scopes (a route with none is open to every token). */
export function checkScopes(token: TokenRecord, scopes: MoneybirdScope[]): ApiResponse | undefined {
	if (scopes.length === 0 || scopes.some((s) => token.scopes.includes(s))) return undefined;
	const names = scopes.join(', ');
	return error(403, `No access: this action requires the ${names} scope, which the token does not have`, {
		scope: scopes.length === 1 ? scopes[0] : scopes,
	});
}
