import { decide, NO_ATTEMPTS, pauseAfterMs, retryAfterMs, TRANSIENT_RETRIES } from '../nodes/shared/retryPolicy';
import type { Attempts } from '../nodes/shared/retryPolicy';
import type { HttpFailure } from '../nodes/shared/httpFailure';

/** The retry policy alone: what a request does after each kind of failure, given what was tried. */

const MAX_WAIT_MS = 300_000;
const answered = (status: number, headers: Record<string, unknown> = {}): HttpFailure => ({ status, headers });
const network = (code: string): HttpFailure => ({ headers: {}, code });
const attempts = (changes: Partial<Attempts>): Attempts => ({ ...NO_ATTEMPTS, ...changes });
const middle = () => 0.5;

describe('retry policy: rate limits (429)', () => {
	test('waits what Retry-After asks, for any method, a create included', () => {
		for (const method of ['GET', 'POST', 'DELETE']) {
			const decision = decide(answered(429, { 'retry-after': '2' }), method, NO_ATTEMPTS, MAX_WAIT_MS);
			expect(decision).toEqual({ action: 'waitForRateLimit', ms: 2050 });
		}
	});

	test('without a hint, backs off exponentially from 1 s (jitter in the upper half)', () => {
		expect(decide(answered(429), 'POST', NO_ATTEMPTS, MAX_WAIT_MS, middle)).toEqual({ action: 'waitForRateLimit', ms: 750 });
		expect(decide(answered(429), 'POST', attempts({ rateLimitedTimes: 3 }), MAX_WAIT_MS, middle)).toEqual({
			action: 'waitForRateLimit',
			ms: 6000,
		});
	});

	test('gives up when the next wait would pass the item’s Max Rate Limit Wait, saying how long it would be', () => {
		const tried = attempts({ rateLimitedMs: 299_000, rateLimitedTimes: 5 });
		expect(decide(answered(429, { 'Retry-After': '2' }), 'GET', tried, MAX_WAIT_MS)).toEqual({
			action: 'giveUpRateLimit',
			nextMs: 2050,
		});
	});

	test('Retry-After as an HTTP date is read as an instant', () => {
		const now = Date.parse('2025-03-01T10:00:00Z');
		expect(retryAfterMs({ 'Retry-After': 'Sat, 01 Mar 2025 10:00:05 GMT' }, now)).toBe(5050);
		expect(retryAfterMs({ 'Retry-After': 'Sat, 01 Mar 2025 09:59:00 GMT' }, now)).toBe(50);
	});

	test('Moneybird’s epoch Retry-After and RateLimit-Reset are read as instants', () => {
		const now = 1_750_000_000_000;
		expect(retryAfterMs({ 'Retry-After': String(now / 1000 + 3) }, now)).toBe(3050);
		expect(retryAfterMs({ 'RateLimit-Reset': String(now / 1000 + 1) }, now)).toBe(1050);
	});
});

describe('rate limits before the 429: pausing after an answer that says no request is left', () => {
	const now = 1_750_000_000_000;
	const resetIn = (seconds: number) => String(now / 1000 + seconds);

	test('documented form: RateLimit-Remaining is the request count; 0 pauses until RateLimit-Reset', () => {
		expect(pauseAfterMs({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': resetIn(2) }, now)).toBe(2050);
		expect(pauseAfterMs({ 'ratelimit-remaining': '1', 'ratelimit-reset': resetIn(2) }, now)).toBeUndefined();
	});

	test('measured form: RateLimit-RequestsRemaining is the count; 0 pauses even while seconds remain', () => {
		const headers = { 'RateLimit-Remaining': '287', 'RateLimit-RequestsRemaining': '0', 'RateLimit-Reset': resetIn(3) };
		expect(pauseAfterMs(headers, now)).toBe(3050);
	});

	test('measured form: 0 seconds in RateLimit-Remaining is not 0 requests: no pause while requests remain', () => {
		const headers = { 'RateLimit-Remaining': '0', 'RateLimit-RequestsRemaining': '12', 'RateLimit-Reset': resetIn(0) };
		expect(pauseAfterMs(headers, now)).toBeUndefined();
		expect(pauseAfterMs({ 'RateLimit-Remaining': '0', 'ratelimit-requestsremaining': '1' }, now)).toBeUndefined();
	});

	test('measured form without RateLimit-Reset: the seconds in RateLimit-Remaining are the wait', () => {
		expect(pauseAfterMs({ 'RateLimit-Remaining': '4', 'RateLimit-RequestsRemaining': '0' }, now)).toBe(4050);
	});

	test('no count, or one that is not a whole number, never pauses', () => {
		expect(pauseAfterMs({}, now)).toBeUndefined();
		expect(pauseAfterMs({ 'RateLimit-Reset': resetIn(5) }, now)).toBeUndefined();
		expect(pauseAfterMs({ 'RateLimit-Remaining': 'none', 'RateLimit-Reset': resetIn(5) }, now)).toBeUndefined();
		expect(pauseAfterMs({ 'RateLimit-Remaining': '0', 'RateLimit-RequestsRemaining': 'x', 'RateLimit-Reset': resetIn(5) }, now)).toBeUndefined();
	});
});

describe('retry policy: a create whose answer is lost is never sent twice blindly', () => {
	test.each([
		['a 500', answered(500)],
		['a 503', answered(503)],
		['a reset connection', network('ECONNRESET')],
		['a timeout', network('ETIMEDOUT')],
		['an answer that is not JSON', { status: 200, headers: {}, body: '<html>', code: 'NOT_JSON' }],
		['an answer without the record', { status: 200, headers: {}, body: { count: 1 }, code: 'NOT_RECORD' }],
	])('after %s it first looks for the record', (_, failure) => {
		expect(decide(failure, 'POST', NO_ATTEMPTS, MAX_WAIT_MS)).toEqual({ action: 'lookForCreated' });
	});

	test('after it looked once and found nothing, another lost answer is reported as uncertain', () => {
		expect(decide(answered(503), 'POST', attempts({ checkedCreate: true }), MAX_WAIT_MS)).toEqual({ action: 'reportUncertainCreate' });
	});

	test('a create that never left (connection refused) is retried like a read', () => {
		expect(decide(network('ECONNREFUSED'), 'POST', NO_ATTEMPTS, MAX_WAIT_MS, middle)).toEqual({ action: 'retry', ms: 375 });
	});

	test('a refusal of a create (422, 401) is reported, not retried', () => {
		expect(decide(answered(422), 'POST', NO_ATTEMPTS, MAX_WAIT_MS)).toEqual({ action: 'fail' });
		expect(decide(answered(401), 'POST', NO_ATTEMPTS, MAX_WAIT_MS)).toEqual({ action: 'fail' });
	});
});

describe('retry policy: reads and deletes', () => {
	test.each([502, 503, 504])('a %s is retried with backoff from 0.5 s', (status) => {
		expect(decide(answered(status), 'GET', NO_ATTEMPTS, MAX_WAIT_MS, middle)).toEqual({ action: 'retry', ms: 375 });
		expect(decide(answered(status), 'GET', attempts({ retries: 2 }), MAX_WAIT_MS, middle)).toEqual({ action: 'retry', ms: 1500 });
	});

	test(`after ${TRANSIENT_RETRIES} retries the fault is reported`, () => {
		expect(decide(answered(503), 'GET', attempts({ retries: TRANSIENT_RETRIES }), MAX_WAIT_MS)).toEqual({ action: 'fail' });
	});

	test('a 500 on a read is reported at once (not a transient status)', () => {
		expect(decide(answered(500), 'GET', NO_ATTEMPTS, MAX_WAIT_MS)).toEqual({ action: 'fail' });
	});

	test('a delete retried after a lost answer that finds the record gone counts as deleted', () => {
		expect(decide(answered(404), 'DELETE', attempts({ retries: 1 }), MAX_WAIT_MS)).toEqual({ action: 'alreadyDeleted' });
	});

	test('a first-attempt 404 on a delete is reported: the record was not there', () => {
		expect(decide(answered(404), 'DELETE', NO_ATTEMPTS, MAX_WAIT_MS)).toEqual({ action: 'fail' });
	});
});
