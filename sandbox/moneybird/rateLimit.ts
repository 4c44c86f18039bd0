/** Moneybird's rate limit as the sandbox's server applies it (`api.server.rateLimit = moneybirdRateLimit(…)`). */
import type { RateLimit } from '../server';

/** `Retry-After` as UTC epoch seconds (as Moneybird documents) or as seconds to wait. */
export type RetryAfterForm = 'epoch' | 'seconds';

export interface RateLimitOptions {
	/** How `Retry-After` is written on a 429: Moneybird documents UTC epoch seconds. Default 'epoch'. */
	retryAfter?: RetryAfterForm;
	/** Send `RateLimit-Limit/Remaining/Reset` on answers inside the limit too. Default true. */
	headersOnSuccess?: boolean;
}

/** A fixed-window limit: 429 `Retry later` with RateLimit-* and Retry-After headers. */
export function moneybirdRateLimit(limit: number, windowMs: number, options: RateLimitOptions = {}): RateLimit {
	const retryAfter = options.retryAfter ?? 'epoch';
	const limitHeaders = (remaining: number, resetAtMs: number): Record<string, string> => ({
		'RateLimit-Limit': String(limit),
		'RateLimit-Remaining': String(remaining),
		'RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)),
	});
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
