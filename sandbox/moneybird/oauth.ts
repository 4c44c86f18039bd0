/**
 * Moneybird's OAuth2 token endpoint (`POST /oauth/token`, outside the API prefix), as Doorkeeper answers it: the
 * client by body or Basic header, `grant_type=refresh_token` only, an optional narrower scope. A refresh revokes
 * the old access token and rotates the refresh token.
 */
import { randomBytes } from 'node:crypto';

import type { ApiResponse, RecordedRequest } from '../server';
import type { MoneybirdScope } from './auth';
import { error } from './responses';
import type { MoneybirdState } from './state';

export const TOKEN_PATH = '/oauth/token';
export const DEFAULT_OAUTH_CLIENT = {
	clientId: 'moneybird-test-client-id',
	clientSecret: 'moneybird-test-client-secret',
};

export function oauthToken(state: MoneybirdState, request: RecordedRequest): ApiResponse {
	const oauthError = (status: number, code: string, description: string): ApiResponse => ({
		status,
		body: { error: code, error_description: description },
		headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
	});
	if (request.method !== 'POST') return error(404, `No route matches [${request.method}] "${TOKEN_PATH}"`);
	const contentType = String(request.headers['content-type'] ?? '');
	let params: URLSearchParams;
	if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
		params = new URLSearchParams(request.rawBody);
	} else if (/^application\/json/i.test(contentType) && request.body && typeof request.body === 'object') {
		params = new URLSearchParams(
			Object.entries(request.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
		);
	} else {
		return oauthError(400, 'invalid_request', 'The request is missing a required parameter or is malformed.');
	}

	let clientId = params.get('client_id');
	let clientSecret = params.get('client_secret');
	const basic = /^Basic (\S+)$/i.exec(String(request.headers.authorization ?? ''));
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		clientId = decoded.slice(0, colon);
		clientSecret = decoded.slice(colon + 1);
	}
	if (clientId !== DEFAULT_OAUTH_CLIENT.clientId || clientSecret !== DEFAULT_OAUTH_CLIENT.clientSecret) {
		return oauthError(
			401,
			'invalid_client',
			'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
		);
	}
	if (params.get('grant_type') !== 'refresh_token') {
		return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
	}
	const refreshToken = params.get('refresh_token') ?? '';
	const oldAccessToken = state.refreshTokens.get(refreshToken);
	const old = oldAccessToken !== undefined ? state.tokens.get(oldAccessToken) : undefined;
	if (oldAccessToken === undefined || !old) {
		return oauthError(
			400,
			'invalid_grant',
			'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
		);
	}
	let scopes = old.scopes;
	const requested = params.get('scope');
	if (requested) {
		const wanted = requested.split(/\s+/).filter(Boolean) as MoneybirdScope[];
		if (wanted.some((s) => !old.scopes.includes(s))) {
			return oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
		}
		scopes = wanted;
	}

	// The old access token is revoked, and the old refresh token with it (rotation).
	state.tokens.delete(oldAccessToken);
	const counter = ++state.tokenCounter;
	const accessToken = `mb-access-${counter}-${randomBytes(8).toString('hex')}`;
	const newRefreshToken = `mb-refresh-${counter}-${randomBytes(8).toString('hex')}`;
	state.refreshTokens.delete(refreshToken);
	state.addToken(accessToken, scopes, { refreshToken: newRefreshToken });
	return {
		status: 200,
		body: {
			access_token: accessToken,
			token_type: 'bearer',
			refresh_token: newRefreshToken,
			scope: scopes.join(' '),
			created_at: Math.floor(state.now().getTime() / 1000),
		},
		headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
	};
}
