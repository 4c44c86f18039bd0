/** Kantata OX sandbox auth: a Bearer token the state knows (the default one, or one a test added, e.g. OAuth2's). */
import type { RecordedRequest } from '../server';
import { HttpError, kantataError } from './responses';
import type { KantataState } from './state';

/** The user the request's token belongs to; a 401 `Invalid OAuth 2 Request` otherwise. */
export function authenticate(state: KantataState, request: RecordedRequest): string {
	const match = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
	const userId = match ? state.tokens.get(match[1]) : undefined;
	if (userId === undefined) throw new HttpError(kantataError(401, 'oauth', 'Invalid OAuth 2 Request'));
	return userId;
}
