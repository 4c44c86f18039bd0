import type { INodeParameters } from 'n8n-workflow';

import { byId, createParameters, errorText, INV, kantataFixture, moneybirdFixture } from './fixtures';
import type { NodeSettings } from './harness/engine';
import { requestsTo } from '../sandbox/server';
import type { Fault } from '../sandbox/server';
import { kantataErrorBody } from '../sandbox/kantata';

/**
 * n8n's Retry On Fail (and its other retry of a node) runs the node again with the same execute data. Each try
 * sends what an earlier try did not complete, and nothing an earlier try completed: a batch of creates retried
 * records each row once.
 */
const kantata = kantataFixture();
const moneybird = moneybirdFixture();

/** Retry On Fail as the editor stores it; a short wait keeps the suite fast (n8n's default is 1000 ms). */
const retry = (maxTries = 3): NodeSettings => ({ retryOnFail: true, maxTries, waitBetweenTries: 10 });

const listing = requestsTo('GET', '/api/v1/external_payments.json');
const creating = requestsTo('POST', '/api/v1/external_payments.json');
const deleting = requestsTo('DELETE', /^\/api\/v1\/external_payments\/\d+\.json$/);
const kantataFault = (status: number, message: string): Fault => ({
	kind: 'status',
	status,
	body: kantataErrorBody({ type: status === 422 ? 'validation' : 'system', message }),
});
const createFromRows: INodeParameters = { operation: 'create', project: byId('101'), recordFor: 'amount', amount: '={{ $json.amount }}' };
const ROWS = [{ amount: '10.00' }, { amount: '20.00' }, { amount: '30.00' }];
const createdAmounts = () =>
	kantata.server.requests.filter(creating).map((r) => (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents);

describe('Kantata OX with Retry On Fail', () => {
	it('a read answered 500 once is sent again, and the node succeeds', async () => {
		kantata.state.seedPayments(2);
		kantata.server.injectFaults(listing, kantataFault(500, 'Internal Server Error'));

		const { items, error } = await kantata.run({ operation: 'getAll' }, { settings: retry() });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(kantata.server.requests.filter(listing)).toHaveLength(2);
	});

	it('without Retry On Fail the same read fails after one request (the setting is what sends it again)', async () => {
		kantata.server.injectFaults(listing, kantataFault(500, 'Internal Server Error'));
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX answered 500: Internal Server Error (row 1, item 0)');
		expect(kantata.server.requests.filter(listing)).toHaveLength(1);
	});

	it('a batch of creates whose 2nd is refused once records each row once, outputs paired in input order', async () => {
		let refused = 0;
		kantata.server.injectFaults((r) => creating(r) && refused++ === 1, kantataFault(422, 'Invoice is locked'));

		const { items, error } = await kantata.run(createFromRows, { items: ROWS, settings: retry() });

		expect(error).toBeUndefined();
		expect(createdAmounts()).toEqual([1000, 2000, 2000, 3000]);
		expect(kantata.state.countPayments()).toBe(3);
		expect(items.map((item) => item.json.amount_in_cents)).toEqual([1000, 2000, 3000]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('an item refused in every try fails the node after maxTries tries, the rows before it recorded once', async () => {
		kantata.server.injectFaults((r) => creating(r) && (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents === 2000,
			...Array.from({ length: 3 }, () => kantataFault(422, 'Invoice is locked')));

		const { error } = await kantata.run(createFromRows, { items: ROWS, settings: retry(3) });

		expect(error?.message).toBe('Kantata OX refused the payment: Invoice is locked (row 2, item 1)');
		expect(createdAmounts()).toEqual([1000, 2000, 2000, 2000]);
		expect(kantata.state.countPayments()).toBe(1);
	});

	it('with Skip If Already Recorded and Payment Keys, the refused row is sent again and each row recorded once', async () => {
		let refused = 0;
		kantata.server.injectFaults((r) => creating(r) && refused++ === 1, kantataFault(422, 'Invoice is locked'));
		const rows = ROWS.map((row, i) => ({ ...row, key: `ROW-${i + 1}` }));

		const { items, error } = await kantata.run(
			{ ...createFromRows, paymentKey: '={{ $json.key }}', options: { skipIfAlreadyRecorded: true } },
			{ items: rows, settings: retry() },
		);

		expect(error).toBeUndefined();
		expect(createdAmounts()).toEqual([1000, 2000, 2000, 3000]);
		// One listing for the run; each try that recorded looks once after its creates (overlappingRuns.test.ts).
		expect(kantata.server.requests.filter((r) => listing(r) && !r.query.created_after)).toHaveLength(1);
		expect(kantata.server.requests.filter((r) => listing(r) && r.query.created_after)).toHaveLength(2);
		expect(items.map((item) => [item.json.amount_in_cents, item.json.alreadyRecorded])).toEqual([
			[1000, false],
			[2000, false],
			[3000, false],
		]);
		expect(kantata.state.countPayments()).toBe(3);
	});

	it('a batch of deletes whose 2nd fails once deletes each payment once (no 404 for the first)', async () => {
		kantata.state.seedPayments(3);
		let failed = 0;
		kantata.server.injectFaults((r) => deleting(r) && failed++ === 1, kantataFault(500, 'Internal Server Error'));

		const { items, error } = await kantata.run(
			{ operation: 'delete', paymentId: '={{ $json.id }}' },
			{ items: [{ id: '1' }, { id: '2' }, { id: '3' }], settings: retry() },
		);

		expect(error).toBeUndefined();
		expect(kantata.server.requests.filter(deleting).map((r) => r.path)).toEqual(
			['1', '2', '2', '3'].map((id) => `/api/v1/external_payments/${id}.json`),
		);
		expect(items.map((item) => item.json)).toEqual(['1', '2', '3'].map((id) => ({ id, deleted: true })));
		expect(kantata.state.countPayments()).toBe(0);
	});

	it('an invalid row is refused in every try before anything is sent', async () => {
		const { error } = await kantata.run(createFromRows, { items: [{ amount: '1.00' }, { amount: '1.001' }], settings: retry() });
		expect(error?.message).toContain('Invalid Amount in row 2 (item 1)');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('a create whose answer was lost is not sent again by the next try: nobody can tell whether it was recorded', async () => {
		kantata.server.injectFaults(creating, { kind: 'resetAfterHandling' });

		const { error } = await kantata.run(createFromRows, { items: [ROWS[0]], settings: retry() });

		expect(errorText(error)).toContain('may or may not have recorded this item: an earlier try of this node sent it');
		expect(kantata.server.requests.filter(creating)).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(1);
	});
});

describe('Moneybird with Retry On Fail', () => {
	const invoiceRead = (r: { method: string; path: string }) => r.method === 'GET' && r.path.endsWith(`/external_sales_invoices/${INV}.json`);
	const creates = () => moneybird.api().server.requests.filter((r) => r.method === 'POST');

	it('a create whose answer was lost, and could not be checked then, is found by the next try and not sent again', async () => {
		moneybird.api().server.injectFaults((r) => r.method === 'POST', { kind: 'resetAfterHandling' });
		moneybird.api().server.injectFaults(invoiceRead, { kind: 'status', status: 500, body: { error: 'Internal Server Error' } });

		const { items, error } = await moneybird.run(createParameters(), { settings: retry() });

		expect(error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		expect(moneybird.api().state.paymentsOf(INV)).toHaveLength(1);
		expect(items[0].json.id).toBe(moneybird.api().state.paymentsOf(INV)[0].id);
	});

	it('the By Reference listing answered 500 is listed again by the next try, and every row is recorded once', async () => {
		const listed = (r: { method: string; path: string }) => r.method === 'GET' && r.path.endsWith('/external_sales_invoices.json');
		moneybird.api().server.injectFaults(listed, { kind: 'status', status: 500, body: { error: 'Internal Server Error' } });
		const rows = [
			{ reference: 'WS-1001', amount: '1.00' },
			{ reference: 'WS-1001', amount: '2.00' },
		];

		const { items, error } = await moneybird.run(
			createParameters({ invoice: { __rl: true, mode: 'reference', value: '={{ $json.reference }}' }, amount: '={{ $json.amount }}' }),
			{ items: rows, settings: retry() },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.price)).toEqual(['1.0', '2.0']);
		expect(creates()).toHaveLength(2);
		expect(moneybird.api().state.paymentsOf(INV)).toHaveLength(2);
	});
});
