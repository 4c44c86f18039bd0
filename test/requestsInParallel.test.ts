import { sleep } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { byId, createParameters, INV, kantataFixture, moneybirdFixture } from './fixtures';
import type { Handler } from '../sandbox/server';
import { requestsTo } from '../sandbox/server';
import { kantataErrorBody } from '../sandbox/kantata';

/**
 * Request Options > Requests in Parallel: up to that many requests under way at once; every item still checked
 * before any is sent, outputs in input order and paired, nothing sent twice. Moneybird creates stay one at a
 * time.
 */
const kantata = kantataFixture();
const moneybird = moneybirdFixture();

const creating = requestsTo('POST', '/api/v1/external_payments.json');
const ROWS = Array.from({ length: 20 }, (_, i) => ({ amount: `${i + 1}.00`, key: `ROW-${i + 1}` }));
const createFromRows = (parallel: number, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	project: byId('101'),
	recordFor: 'amount',
	amount: '={{ $json.amount }}',
	requestOptions: { requestsInParallel: parallel },
	...extra,
});

/** Wraps a server's handler to hold each request `ms` and count how many were under way at once. */
function measureInFlight(server: { handler: Handler }, ms: number) {
	const original = server.handler;
	const seen = { now: 0, most: 0 };
	server.handler = async (request) => {
		seen.now++;
		seen.most = Math.max(seen.most, seen.now);
		try {
			await sleep(ms);
			return await original(request);
		} finally {
			seen.now--;
		}
	};
	return { seen, restore: () => (server.handler = original) };
}

describe('Kantata OX with Requests in Parallel', () => {
	let inFlight: ReturnType<typeof measureInFlight>;
	beforeEach(() => (inFlight = measureInFlight(kantata.server, 40)));
	afterEach(() => inFlight.restore());

	it.each([1, 5])('%s at once: each row recorded once, outputs in input order and paired', async (parallel) => {
		const { items, error } = await kantata.run(createFromRows(parallel), { items: ROWS });

		expect(error).toBeUndefined();
		expect(inFlight.seen.most).toBe(parallel);
		expect(kantata.server.requests.filter(creating)).toHaveLength(20);
		expect(items.map((item) => item.json.amount_in_cents)).toEqual(ROWS.map((_, i) => (i + 1) * 100));
		expect(items.map((item) => item.pairedItem)).toEqual(ROWS.map((_, item) => ({ item })));
	});

	it('every row is checked before any is sent', async () => {
		const rows = ROWS.map((row, i) => (i === 17 ? { ...row, amount: '1.001' } : row));
		const { error } = await kantata.run(createFromRows(5), { items: rows });
		expect(error?.message).toContain('Invalid Amount in row 18 (item 17)');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('a failed request stops the rows not yet started; those under way finish; Retry On Fail then records each row once', async () => {
		let seen = 0;
		const refuseTheFourth = () =>
			kantata.server.injectFaults((r) => creating(r) && seen++ === 3, {
				kind: 'status',
				status: 422,
				body: kantataErrorBody({ type: 'validation', message: 'Invoice is locked' }),
			});
		refuseTheFourth();

		const failed = await kantata.run(createFromRows(4), { items: ROWS });
		expect(failed.error?.message).toBe('Kantata OX refused the payment: Invoice is locked (row 4, item 3)');
		const sentBeforeStop = kantata.server.requests.filter(creating).length;
		expect(sentBeforeStop).toBeGreaterThanOrEqual(4);
		expect(sentBeforeStop).toBeLessThan(20);

		kantata.state.reset();
		kantata.server.resetLog();
		const before = kantata.state.countPayments();
		seen = 0;
		refuseTheFourth();
		const retried = await kantata.run(createFromRows(4), { items: ROWS, settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 } });
		expect(retried.error).toBeUndefined();
		expect(kantata.server.requests.filter(creating)).toHaveLength(21);
		expect(retried.items.map((item) => item.json.amount_in_cents)).toEqual(ROWS.map((_, i) => (i + 1) * 100));
		// 21 creates, one refused: each of the 20 rows recorded once.
		expect(kantata.state.countPayments()).toBe(before + 20);
	});

	it('429s from a rate limit are waited out by every request under way: each row recorded once, none failed', async () => {
		kantata.server.rateLimit = {
			limit: 6,
			windowMs: 1000,
			reject: (resetAtMs) => ({
				status: 429,
				headers: { 'Retry-After': String(Math.max(1, Math.ceil((resetAtMs - Date.now()) / 1000))) },
				body: kantataErrorBody({ type: 'system', message: 'Rate limit exceeded' }),
			}),
		};
		const before = kantata.state.countPayments();

		const { items, error } = await kantata.run(createFromRows(5), { items: ROWS.slice(0, 12) });

		expect(error).toBeUndefined();
		expect(kantata.server.rateLimited).toBeGreaterThan(0);
		expect(kantata.state.countPayments()).toBe(before + 12);
		expect(items.map((item) => item.json.amount_in_cents)).toEqual(ROWS.slice(0, 12).map((_, i) => (i + 1) * 100));
	});

	it('with Skip If Already Recorded, rows of one Payment Key under way at once record it once', async () => {
		// Each key's rows are exact repeats: the same amount (a key reused for another amount is refused: keyReuse.test.ts).
		const rows = ROWS.map((row, i) => ({ ...row, amount: ROWS[i % 5].amount, key: `KEY-${i % 5}` }));

		const { items, error } = await kantata.run(
			createFromRows(8, { paymentKey: '={{ $json.key }}', options: { skipIfAlreadyRecorded: true } }),
			{ items: rows },
		);

		expect(error).toBeUndefined();
		expect(kantata.server.requests.filter(creating)).toHaveLength(5);
		expect(items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map((_, i) => i >= 5));
	});
});

describe('Moneybird with Requests in Parallel', () => {
	it('creates still go one at a time', async () => {
		const inFlight = measureInFlight(moneybird.api().server, 20);
		try {
			const rows = Array.from({ length: 6 }, (_, i) => ({ amount: `${i + 1}.00` }));
			const { items, error } = await moneybird.run(
				createParameters({ amount: '={{ $json.amount }}', requestOptions: { requestsInParallel: 5 } }),
				{ items: rows },
			);
			expect(error).toBeUndefined();
			expect(inFlight.seen.most).toBe(1);
			expect(items.map((item) => item.json.price)).toEqual(['1.0', '2.0', '3.0', '4.0', '5.0', '6.0']);
			expect(moneybird.api().state.paymentsOf(INV)).toHaveLength(6);
		} finally {
			inFlight.restore();
		}
	});
});
