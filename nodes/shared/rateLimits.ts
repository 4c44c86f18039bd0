/**
 * How long to wait before asking an API again, from what it said about its rate limit.
 * Both APIs answer 429 over their limit; Moneybird also sends `RateLimit-*` headers and a `Retry-After` that it
 * documents as an epoch timestamp, while the HTTP standard says seconds or an HTTP date. All three are read.
 */

type Headers = Record<string, unknown>;

/** A number of seconds larger than this is an epoch timestamp, not a delay (about the year 2001). */
const EPOCH_THRESHOLD_SECONDS = 1_000_000_000;

/** Arrive this long after a reset instant, so clocks a little apart do not land the request before it. */
const RESET_MARGIN_MS = 50;

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (value === undefined || value === null) return undefined;
	return String(Array.isArray(value) ? value[0] : value).trim();
}

/** Delay until an instant given as delta seconds, epoch seconds or an HTTP date. */
function untilInstant(value: string, now: number): number | undefined {
	if (/^\d+(\.\d+)?$/.test(value)) {
		const seconds = Number(value);
		const delay = seconds > EPOCH_THRESHOLD_SECONDS ? seconds * 1000 - now : seconds * 1000;
		return Math.max(0, delay) + RESET_MARGIN_MS;
	}
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now) + RESET_MARGIN_MS;
}

/** The wait a 429 answer asks for, or undefined when it gives no usable hint. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
	const retryAfter = header(headers, 'Retry-After');
	const fromRetryAfter = retryAfter === undefined ? undefined : untilInstant(retryAfter, now);
	if (fromRetryAfter !== undefined) return fromRetryAfter;
	const reset = header(headers, 'RateLimit-Reset');
	return reset === undefined ? undefined : untilInstant(reset, now);
}

/** After a successful answer: the wait before the next request when the answer says the window is used up. */
export function pauseAfterMs(headers: Headers, now = Date.now()): number | undefined {
	const remaining = header(headers, 'RateLimit-Remaining');
	if (remaining === undefined || Number(remaining) > 0) return undefined;
	const reset = header(headers, 'RateLimit-Reset');
	return reset === undefined ? undefined : untilInstant(reset, now);
}

/** Exponential backoff with full jitter: attempt 0 waits up to `baseMs`, each next one up to twice as long. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 60_000): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
