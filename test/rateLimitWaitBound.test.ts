import { sleep } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { byId, kantataFixture } from './fixtures';
import { requestsTo } from '../sandbox/server';
import type { Fault, RequestMatcher } from '../sandbox/server';
import { kantataErrorBody } from '../sandbox/kantata';

/**
 * Request Options > Max Rate Limit Wait bounds every wait for the API's rate limit, whatever said to wait: a
 * 429's Retry-After or RateLimit-Reset, a 429 without a hint, or an earlier answer (of this item, another
 * item, or another credential for the same host) saying the window is used up. A wait that would pass the
 * bound is not started: the item fails at once, saying so, with nothing sent.
 */
const kantata = kantataFixture();

const MAX_WAIT_S = 1;
/** How far ahead the API's window ends in these tests: well past the bound. */
const WINDOW_S = 3;
const listing = requestsTo('GET', '/api/v1/external_payments.json');
const creating = requestsTo('POST', '/api/v1/external_payments.json');
const tooMany = (headers: Record<string, string>): Fault => ({
	kind: 'status',
	status: 429,
	headers,
	body: kantataErrorBody({ type: 'system', message: 'Rate limit exceeded' }),
});
const resetIn = (seconds: number) => String(Math.ceil(Date.now() / 1000) + seconds);
const bounded = (parameters: INodeParameters): INodeParameters => ({ ...parameters, requestOptions: { maxRateLimitWait: MAX_WAIT_S } });
const createAmount = bounded({ operation: 'create', project: byId('101'), recordFor: 'amount', amount: '={{ $json.amount }}' });

/** Answers the first request normally, saying the window is used up for WINDOW_S seconds. */
function spendWindowOnFirstAnswer(): void {
	let answered = 0;
	const original = kantata.server.handler;
	kantata.server.handler = async (request) => {
		const answer = await original(request);
		return answered++ === 0
			? { ...answer, headers: { 'RateLimit-Remaining': '0', 'RateLimit-Reset': resetIn(WINDOW_S) } }
			: answer;
	};
}

let originalHandler: typeof kantata.server.handler;
beforeEach(() => {
	kantata.state.seedPayments(1);
	originalHandler = kantata.server.handler;
});
afterEach(async () => {
	kantata.server.handler = originalHandler;
	// The window a test spent is the host's for every later request: let it end before the next test.
	await sleep(WINDOW_S * 1000 + 100);
});
/** How long a run took: well under the window it was told to wait for shows it did not wait it out. */
async function timed<T>(run: () => Promise<T>): Promise<T & { ms: number }> {
	const start = Date.now();
	const result = await run();
	return { ...result, ms: Date.now() - start };
}

describe('Max Rate Limit Wait bounds every kind of wait', () => {
	it.each([
		['429 with Retry-After', () => ({ 'Retry-After': String(WINDOW_S) })],
		['429 with RateLimit-Reset', () => ({ 'RateLimit-Reset': resetIn(WINDOW_S) })],
	])('%s past the bound: fails at once', async (_name, headers) => {
		kantata.server.injectFaults(listing, tooMany(headers()));

		const { error, ms } = await timed(async () => await kantata.run(bounded({ operation: 'getAll' })));

		expect(error?.message).toBe('Kantata OX rate-limited this request and it gave up after waiting 0 s in total (row 1, item 0)');
		expect(error?.description).toContain(`would pass the limit of ${MAX_WAIT_S} s set in Request Options > Max Rate Limit Wait`);
		expect(kantata.server.requests).toHaveLength(1);
		expect(ms).toBeLessThan((WINDOW_S - 1) * 1000);
	});

	it('429s without a hint: backs off while the waits fit, then gives up within the bound', async () => {
		kantata.server.injectFaults(listing, tooMany({}), tooMany({}), tooMany({}));

		const { error } = await kantata.run(bounded({ operation: 'getAll' }));

		expect(error?.message).toMatch(/gave up after waiting (0\.\d|1) s in total \(row 1, item 0\)$/);
		expect(kantata.server.requests).toHaveLength(2);
		const [first, second] = kantata.server.requests;
		expect(second.receivedAt - first.receivedAt).toBeLessThanOrEqual(MAX_WAIT_S * 1000 + 100);
	});

	it('a window another item found used up: the next item fails at once, nothing sent for it', async () => {
		spendWindowOnFirstAnswer();

		const { error, ms } = await timed(async () => await kantata.run(createAmount, { items: [{ amount: '1.00' }, { amount: '2.00' }] }));

		expect(error?.message).toBe('Kantata OX rate-limited this request and it gave up after waiting 0 s in total (row 2, item 1)');
		expect(error?.description).toContain('An earlier answer said the rate-limit window is used up');
		expect(error?.description).toContain('Nothing was recorded for this item');
		expect(kantata.server.requests.filter(creating)).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(2);
		expect(ms).toBeLessThan((WINDOW_S - 1) * 1000);
	});

	it('a window another credential for the same host used up counts too', async () => {
		spendWindowOnFirstAnswer();
		const first = await kantata.run({ operation: 'getAll' });
		expect(first.error).toBeUndefined();

		const { error, ms } = await timed(async () => await kantata.run(createAmount, { items: [{ amount: '1.00' }], oAuth2: true }));

		expect(error?.description).toContain('An earlier answer said the rate-limit window is used up');
		expect(error?.message).toBe('Kantata OX rate-limited this request and it gave up after waiting 0 s in total (row 1, item 0)');
		expect(kantata.server.requests.filter(creating)).toHaveLength(0);
		expect(ms).toBeLessThan((WINDOW_S - 1) * 1000);
	});

	it('a window that ends within the bound is waited out', async () => {
		spendWindowOnFirstAnswer();

		const { error } = await kantata.run(
			{ ...createAmount, requestOptions: { maxRateLimitWait: WINDOW_S + 1 } },
			{ items: [{ amount: '1.00' }, { amount: '2.00' }] },
		);

		expect(error).toBeUndefined();
		expect(kantata.state.countPayments()).toBe(3);
		const [first, second] = kantata.server.requests.filter(creating);
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual((WINDOW_S - 1) * 1000);
	});
});

describe('Max Rate Limit Wait bounds all the waits of one item together', () => {
	const BOUND_S = 3;
	const page = (n: string): RequestMatcher => (request) => listing(request) && request.query.page === n;
	const createOnce = bounded({ ...createAmount, amount: '5.00', paymentKey: 'row-1', options: { skipIfAlreadyRecorded: true } });

	it("a create's listing pages and its create each wait less than the bound, together more: the item fails within it", async () => {
		// With the one seeded before each test, 201 payments in project 101: two pages of 200.
		kantata.state.seedPayments(3 * 200);
		const oneSecond = tooMany({ 'Retry-After': '1' });
		kantata.server.injectFaults(page('1'), oneSecond);
		kantata.server.injectFaults(page('2'), oneSecond);
		kantata.server.injectFaults(creating, oneSecond);

		const { error } = await kantata.run({ ...createOnce, requestOptions: { maxRateLimitWait: BOUND_S } });

		expect(error?.message).toMatch(/^Kantata OX rate-limited this request and it gave up after waiting (1\.9|2|2\.1) s in total \(row 1, item 0\)$/);
		expect(error?.description).toContain(`answered 429 (too many requests) 3 times; the next wait (1.1 s) would pass the limit of ${BOUND_S} s`);
		const requests = kantata.server.requests;
		expect(requests.map((r) => `${r.method} ${r.query.page ?? ''}`.trim())).toEqual(['GET 1', 'GET 1', 'GET 2', 'GET 2', 'POST']);
		expect(kantata.state.countPayments()).toBe(601);
		// Its waits fit in the bound: the last request came less than the bound after the first.
		expect(requests[requests.length - 1].receivedAt - requests[0].receivedAt).toBeLessThan(BOUND_S * 1000);
	});

	it('a new try (Retry On Fail) starts with none of the waits of the one before', async () => {
		kantata.state.seedPayments(3 * 200);
		const oneSecond = tooMany({ 'Retry-After': '1' });
		kantata.server.injectFaults(page('1'), oneSecond);
		kantata.server.injectFaults(page('2'), oneSecond);
		kantata.server.injectFaults(creating, oneSecond, oneSecond);

		const { error, items } = await kantata.run(
			{ ...createOnce, requestOptions: { maxRateLimitWait: BOUND_S } },
			{ settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 } },
		);

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ amount_in_cents: 500, alreadyRecorded: false });
		expect(kantata.server.requests.filter(creating)).toHaveLength(3);
		expect(kantata.state.countPayments()).toBe(602);
	});
});
