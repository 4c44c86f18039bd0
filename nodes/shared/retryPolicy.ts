import { headerValue } from './headers';
import type { HttpFailure } from './httpFailure';

/*
 * What a request does after a failure: wait out a rate limit, retry, check whether a create was recorded, or
 * give up. `decide` is the whole policy, as a pure function of the failure and what was tried so far; the
 * transport (transport.ts) carries it out.
 *
 * How long to wait comes from what the API said about its rate limit. Both APIs answer 429 over their limit;
 * Moneybird also sends `RateLimit-*` headers and a `Retry-After` that it documents as an epoch timestamp, while
 * the HTTP standard says seconds or an HTTP date. All three are read. Before a 429, `pauseAfterMs` reads the
 * remaining request count in either of the two forms Moneybird has been seen to send.
 */

/** Retries of a read or delete after a transient fault (502, 503, 504, reset, timeout). */
export const TRANSIENT_RETRIES = 3;
const TRANSIENT_STATUSES = new Set([502, 503, 504]);
/** The request may have reached the API and been acted on. */
const LOST_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** The request never reached the API: safe to send again, even a create. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** An answer came, but not one that says what was done: not JSON, or a create's answer without its record. */
const UNREADABLE_CODES = new Set(['NOT_JSON', 'NOT_RECORD']);

/** What one request has been through so far. */
export interface Attempts {
	/** Time the item spent waiting for rate limits, over all its requests: the bound is the item's. */
	rateLimitedMs: number;
	/** 429 answers to this request: its backoff without a hint grows with them. */
	rateLimitedTimes: number;
	/** Retries after transient faults. */
	retries: number;
	/** A create whose answer was lost was already looked for (and not found). */
	checkedCreate: boolean;
}

export const NO_ATTEMPTS: Attempts = { rateLimitedMs: 0, rateLimitedTimes: 0, retries: 0, checkedCreate: false };

export type Decision =
	/** Rate-limited: ask again after `ms`. */
	| { action: 'waitForRateLimit'; ms: number }
	/** Rate-limited, and the next wait would pass the item's limit. */
	| { action: 'giveUpRateLimit'; nextMs: number }
	/** A create may or may not have been recorded: ask the API (at most once). */
	| { action: 'lookForCreated' }
	/** A create may or may not have been recorded and nobody can tell: never send it again. */
	| { action: 'reportUncertainCreate' }
	/** A transient fault on a read or delete, or a request that never left: send again after `ms`. */
	| { action: 'retry'; ms: number }
	/** A delete retried after a lost answer found the record gone: the first attempt did it. */
	| { action: 'alreadyDeleted' }
	/** Report the failure. */
	| { action: 'fail' };

/** The policy: what to do after `failure` of a `method` request, given what was tried. */
export function decide(
	failure: HttpFailure,
	method: string,
	attempts: Attempts,
	maxRateLimitWaitMs: number,
	random = Math.random,
): Decision {
	if (failure.status === 429) {
		const ms = retryAfterMs(failure.headers) ?? backoffMs(attempts.rateLimitedTimes, 1000, 60_000, random);
		return attempts.rateLimitedMs + ms > maxRateLimitWaitMs ? { action: 'giveUpRateLimit', nextMs: ms } : { action: 'waitForRateLimit', ms };
	}
	const neverSent = failure.code !== undefined && NOT_SENT_CODES.has(failure.code);
	const lostAnswer = failure.code !== undefined && LOST_ANSWER_CODES.has(failure.code);
	const unreadable = failure.code !== undefined && UNREADABLE_CODES.has(failure.code);
	if (method === 'POST' && (lostAnswer || (failure.status ?? 0) >= 500 || unreadable)) {
		return attempts.checkedCreate ? { action: 'reportUncertainCreate' } : { action: 'lookForCreated' };
	}
	const transient = neverSent || lostAnswer || TRANSIENT_STATUSES.has(failure.status ?? 0);
	if (transient && attempts.retries < TRANSIENT_RETRIES) {
		return { action: 'retry', ms: backoffMs(attempts.retries, 500, 8000, random) };
	}
	if (method === 'DELETE' && attempts.retries > 0 && failure.status === 404) return { action: 'alreadyDeleted' };
	return { action: 'fail' };
}

type Headers = Record<string, unknown>;

/** A number of seconds larger than this is an epoch timestamp, not a delay (about the year 2001). */
const EPOCH_THRESHOLD_SECONDS = 1_000_000_000;

/** Arrive this long after a reset instant, so clocks a little apart do not land the request before it. */
const RESET_MARGIN_MS = 50;

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
	const retryAfter = headerValue(headers, 'Retry-After');
	const fromRetryAfter = retryAfter === undefined ? undefined : untilInstant(retryAfter, now);
	if (fromRetryAfter !== undefined) return fromRetryAfter;
	const reset = headerValue(headers, 'RateLimit-Reset');
	return reset === undefined ? undefined : untilInstant(reset, now);
}

/**
 * After a successful answer: the wait before the next request when the answer says no request is left in the
 * window. The request count is read from `RateLimit-RequestsRemaining` when the answer has it: a public client
 * measured Moneybird's live API sending the count there and the seconds until the reset in `RateLimit-Remaining`,
 * so with it present `RateLimit-Remaining` is never read as a count (0 seconds left is not 0 requests left).
 * Without it, `RateLimit-Remaining` is the count, as Moneybird documents. The wait lasts until `RateLimit-Reset`
 * (epoch or delta seconds), or, without it in the measured form, the seconds `RateLimit-Remaining` gives.
 */
export function pauseAfterMs(headers: Headers, now = Date.now()): number | undefined {
	const requestsRemaining = headerValue(headers, 'RateLimit-RequestsRemaining');
	const remaining = headerValue(headers, 'RateLimit-Remaining');
	const secondsForm = requestsRemaining !== undefined && requestsRemaining !== '';
	const count = secondsForm ? requestsRemaining : remaining;
	if (count === undefined || !/^-?\d+$/.test(count) || Number(count) > 0) return undefined;
	const reset = headerValue(headers, 'RateLimit-Reset');
	const until = reset === undefined ? undefined : untilInstant(reset, now);
	if (until !== undefined || !secondsForm || remaining === undefined || !/^\d+(\.\d+)?$/.test(remaining)) return until;
	return Number(remaining) * 1000 + RESET_MARGIN_MS;
}

/** Exponential backoff with full jitter: attempt 0 waits up to `baseMs`, each next one up to twice as long. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 60_000, random = Math.random): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
