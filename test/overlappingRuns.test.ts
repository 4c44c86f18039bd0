/**
 * Issue 27: two runs of the same rows at once (a sheet polled again before its last run ended, two queue-mode
 * workers), Skip If Already Recorded on in both. Each lists what is recorded before the other records, so both
 * record; after its create each run looks again, and of two payments with one key the later is deleted and its
 * row output as already recorded. The API is the only truth the runs share, as across processes.
 */
import { byId, createParameters, kantataFixture, keyedKantataCreate, moneybirdFixture, SEED } from './fixtures';
import type { NodeRun } from './harness/engine';

const ROWS = 40;

/** Across the runs, each row is output once as recorded now and otherwise as already recorded, always as the payment kept. */
function expectEachRowOnce(runs: NodeRun[], kept: (row: number) => { id?: unknown } | undefined) {
	for (const run of runs) {
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: ROWS }, (_, item) => ({ item })));
	}
	for (let row = 0; row < ROWS; row++) {
		const outputs = runs.map((run) => run.items[row].json);
		expect(outputs.map((json) => String(json.id))).toEqual(runs.map(() => String(kept(row)?.id)));
		expect(outputs.filter((json) => json.alreadyRecorded === false)).toHaveLength(1);
	}
}

describe('Kantata OX: two runs of the same keyed rows at once record each row once', () => {
	const kantata = kantataFixture();
	const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `OVERLAP-${i}`, amount: `${i + 1}.00` }));
	const create = keyedKantataCreate();
	const payments = () => kantata.state.sortedBy('id').map((entry) => entry.payment);

	it.each([1, 4])('with Requests in Parallel %i', async (parallel) => {
		kantata.server.latencyMs = 3;
		const parameters = { ...create, requestOptions: { requestsInParallel: parallel } };

		const runs = await Promise.all([kantata.run(parameters, { items: rows }), kantata.run(parameters, { items: rows })]);

		expect(payments()).toHaveLength(ROWS);
		const byKey = new Map(payments().map((payment) => [String(/\[n8n-key:([^\]]+)\]$/.exec(String(payment.message))?.[1]), payment]));
		expect([...byKey.keys()].sort()).toEqual(rows.map((row) => row.key).sort());
		expectEachRowOnce(runs, (row) => byKey.get(rows[row].key));
		// Both runs listed before either recorded, so both sent creates; the later of each pair was deleted.
		const posts = kantata.paymentRequests().filter((r) => r.method === 'POST').length;
		const deletes = kantata.paymentRequests().filter((r) => r.method === 'DELETE').length;
		expect(posts - deletes).toBe(ROWS);
	});

	it('a duplicate whose delete fails is the row\'s error, naming both payments; with Continue On Fail every row is output', async () => {
		kantata.server.latencyMs = 3;
		const failing = { kind: 'status' as const, status: 500, body: { errors: [{ type: 'system', message: 'Down' }] } };
		kantata.server.injectFaults((r) => r.method === 'DELETE', ...Array<typeof failing>(400).fill(failing));

		const runs = await Promise.all([0, 1].map(async () => await kantata.run(create, { items: rows.slice(0, 10), continueOnFail: true })));

		const errors = runs.flatMap((run) => run.items.filter((item) => item.json.error !== undefined).map((item) => String(item.json.error)));
		expect(errors.length).toBeGreaterThan(0);
		for (const error of errors) expect(error).toMatch(/^Payment \d+ of row \d+ \(item \d+\) duplicates payment \d+, which another run recorded first, and deleting it failed: /);
		for (const run of runs) expect(run.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 10 }, (_, item) => ({ item })));
		expect(payments()).toHaveLength(10 + errors.length);
	});

	it('the look reads its pages again when another run deleted payments between them (its later pages shifted)', async () => {
		const many = Array.from({ length: 201 }, (_, i) => ({ key: `PAGES-${i}`, amount: '1.00' }));
		const original = kantata.server.handler;
		let deleted = false;
		kantata.server.handler = async (request) => {
			if (!deleted && request.method === 'GET' && request.query.created_after && request.query.page === '2') {
				// Another run removes its later duplicate, which sat on page 1: every later payment moves up one place.
				deleted = true;
				kantata.state.removePayment(String(payments().find((payment) => String(payment.message).includes('PAGES-'))!.id));
			}
			return await original(request);
		};
		try {
			const { error } = await kantata.run(create, { items: many });
			expect(error).toBeUndefined();
		} finally {
			kantata.server.handler = original;
		}

		const looks = kantata.paymentRequests().filter((r) => r.method === 'GET' && r.query.created_after);
		// Pages 1 and 2 gave two counts (201, then 200): read again, now one page.
		expect(looks.map((r) => r.query.page)).toEqual(['1', '2', '1']);
	});

	it('a run costs one look at the payments recorded since its listing, after its creates', async () => {
		const { error } = await kantata.run(create, { items: rows.slice(0, 3) });

		expect(error).toBeUndefined();
		expect(kantata.paymentRequests().map((r) => `${r.method}${r.query.created_after ? ' created_after' : ''}`)).toEqual([
			'GET',
			'POST',
			'POST',
			'POST',
			'GET created_after',
		]);
	});
});

describe('Moneybird: two runs of the same rows at once record each row once', () => {
	const fx = moneybirdFixture();
	const invoices = [SEED.invoices.open121, SEED.invoices.open60, SEED.invoices.late];
	const rows = Array.from({ length: ROWS }, (_, i) => ({ invoice: invoices[i % 3], reference: `OVERLAP-${i}`, amount: `0.${String(i + 10)}` }));
	const create = createParameters({
		invoice: byId('={{ $json.invoice }}'),
		amount: '={{ $json.amount }}',
		additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
		options: { skipIfAlreadyRecorded: true, refuseOverpayment: true },
	});

	it('each payment once, the later of two deleted', async () => {
		fx.api().server.latencyMs = 3;

		const runs = await Promise.all([fx.run(create, { items: rows }), fx.run(create, { items: rows })]);

		const stored = invoices.flatMap((invoice) => fx.api().state.paymentsOf(invoice));
		expect(stored).toHaveLength(ROWS);
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
		const byReference = new Map(stored.map((payment) => [String(payment.transaction_identifier), payment]));
		expectEachRowOnce(runs, (row) => byReference.get(rows[row].reference));
	});

	it('a run costs one more read of each invoice it recorded on, after its creates', async () => {
		const { error } = await fx.run(create, { items: rows.slice(0, 4) });

		expect(error).toBeUndefined();
		const requests = fx.api().server.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/external_sales_invoices/, '')}`);
		expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(1 + invoices.length);
		expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(4);
		expect(requests.slice(-invoices.length).every((r) => r.startsWith('GET /'))).toBe(true);
	});
});
