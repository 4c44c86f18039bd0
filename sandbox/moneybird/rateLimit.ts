/** Moneybird's rate limit as the sandbox's server applies it (`api.server.rateLimit = moneybirdRateLimit(…)`). */
import type { RateLimit } from '../server';

/** `Retry-After` as UTC epoch seconds (as Moneybird documents) or as seconds to wait. */
export type RetryAfterForm = 'epoch' | 'seconds';

export interface RateLimitOptions {
	/** How `Retry-After` is written on a 429: Moneybird documents UTC epoch seconds. Default 'epoch'. */
	retryAfter?: RetryAfterForm;
	/** Send `RateLimit-Limit/Remaining/Reset` on answers inside the limit too. Default true. */
	headersOnSuccess?: boolean;
	/**
	 * What `RateLimit-Remaining` counts. 'requests' (default): the requests left, as Moneybird documents.
	 * 'seconds': the seconds until the reset, with the requests left in `RateLimit-RequestsRemaining`, as a public
	 * client measured on the live API (reference/moneybird-webhooks-and-lookup.md, §5).
	 */
	remaining?: RemainingForm;
}

export type RemainingForm = 'requests' | 'seconds';

/** A fixed-window limit: 429 `Retry later` with RateLimit-* and Retry-After headers. */
export function moneybirdRateLimit(limit: number, windowMs: number, options: RateLimitOptions = {}): RateLimit {
	const retryAfter = options.retryAfter ?? 'epoch';
	const limitHeaders = (remaining: number, resetAtMs: number): Record<string, string> => {
		const headers: Record<string, string> = { 'RateLimit-Limit': String(limit), 'RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)) };
		if (options.remaining !== 'seconds') return { ...headers, 'RateLimit-Remaining': String(remaining) };
		const seconds = Math.max(0, Math.ceil((resetAtMs - Date.now()) / 1000));
		return { ...headers, 'RateLimit-Remaining': String(seconds), 'RateLimit-RequestsRemaining': String(remaining) };
	};
	return {
		limit,
		windowMs,
		reject: (resetAtMs, now) => {
			const headers: Record<string, string> = {
				...limitHeaders(0, resetAtMs),
				'content-type': 'text/plain; charset=utf-8',
			};
			headers['Retry-After'] =
				retryAfter === 'epoch'
					? String(Math.ceil(resetAtMs / 1000))
					: String(Math.max(1, Math.ceil((resetAtMs - now) / 1000)));
			return { status: 429, rawBody: 'Retry later', headers };
		},
		headers: options.headersOnSuccess === false ? undefined : limitHeaders,
	};
}
