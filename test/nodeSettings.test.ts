import type { INodeParameters } from 'n8n-workflow';

import { byId, createParameters, INV, kantataFixture, moneybirdFixture } from './fixtures';
import { requestsTo } from '../sandbox/server';
import type { Fault } from '../sandbox/server';
import { kantataErrorBody } from '../sandbox/kantata';

/**
 * n8n's node settings around the nodes, as n8n's engine applies them: On Error (error output, regular output),
 * Execute Once, Always Output Data and the Batching request option. Each keeps the nodes' promises: every
 * input item accounted for once, paired to its input, nothing sent twice.
 */
const kantata = kantataFixture();
const moneybird = moneybirdFixture();

const creating = requestsTo('POST', '/api/v1/external_payments.json');
const createFromRows: INodeParameters = { operation: 'create', project: byId('101'), recordFor: 'amount', amount: '={{ $json.amount }}' };
/** Rows 1 and 3 have an amount with three decimals, which the node refuses before sending anything. */
const ROWS = [{ amount: '1.00' }, { amount: '2.005' }, { amount: '3.00' }, { amount: '4.005' }, { amount: '5.00' }];
const sentCents = () =>
	kantata.server.requests.filter(creating).map((r) => (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents);

describe('On Error', () => {
	it('Continue (using error output): results on the success output, refused rows on the error output, each paired', async () => {
		const { outputs, error } = await kantata.run(createFromRows, { items: ROWS, settings: { onError: 'continueErrorOutput' } });

		expect(error).toBeUndefined();
		expect(sentCents()).toEqual([100, 300, 500]);
		const [success, failed] = outputs;
		expect(success.map((item) => [item.json.amount_in_cents, item.pairedItem])).toEqual([
			[100, { item: 0 }],
			[300, { item: 2 }],
			[500, { item: 4 }],
		]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		expect(String(failed[0].json.error)).toContain('Invalid Amount in row 2 (item 1)');
	});

	it('Continue (using error output) with Moneybird: an API refusal goes to the error output, the rest are recorded', async () => {
		moneybird.api().server.injectFaults((r) => r.method === 'POST' && r.rawBody.includes('"2.00"'), {
			kind: 'status',
			status: 422,
			body: { error: { price: ['is too high'] } },
		});
		const { outputs, error } = await moneybird.run(createParameters({ amount: '={{ $json.amount }}' }), {
			items: [{ amount: '1.00' }, { amount: '2.00' }, { amount: '3.00' }],
			settings: { onError: 'continueErrorOutput' },
		});

		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.price, item.pairedItem])).toEqual([
			['1.0', { item: 0 }],
			['3.0', { item: 2 }],
		]);
		expect(outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(moneybird.api().state.paymentsOf(INV)).toHaveLength(2);
	});

	it('Continue (using error output): each failed row names its row and what identifies it, for a bookkeeper to fix', async () => {
		moneybird.api().server.injectFaults((r) => r.method === 'POST' && r.rawBody.includes('"2.00"'), {
			kind: 'status',
			status: 422,
			body: { error: { price: ['is too high'] } },
		});
		const rows = [
			{ reference: 'WS-1001', amount: '1.00', bank: 'BANK-1' },
			{ reference: 'WS-1001', amount: '2.00', bank: 'BANK-2' },
			{ reference: 'EXT-404', amount: '3.00', bank: 'BANK-3' },
		];
		const { outputs, error } = await moneybird.run(
			createParameters({
				invoice: { __rl: true, mode: 'reference', value: '={{ $json.reference }}' },
				amount: '={{ $json.amount }}',
				additionalFields: { transactionIdentifier: '={{ $json.bank }}' },
			}),
			{ items: rows, settings: { onError: 'continueErrorOutput' } },
		);

		expect(error).toBeUndefined();
		const failed = outputs[1];
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(failed[0].json.error).toMatch(/^Moneybird refused .* \(row 2, item 1\)$/);
		expect(failed[0].json.message).toMatch(
			/^Row 2 \(item 1\): reference "WS-1001", payment date "2025-03-01", amount "2.00", transaction identifier "BANK-2"\. /,
		);
		expect(failed[1].json.error).toMatch(/^Invalid External Sales Invoice in row 3 \(item 2\): .* has the reference "EXT-404"/);
		expect(failed[1].json.message).toMatch(/^Row 3 \(item 2\): reference "EXT-404", payment date "2025-03-01", amount "3.00", transaction identifier "BANK-3"\. /);
	});

	it('Continue (regular output): one output item per input item, in input order', async () => {
		const { items, error } = await kantata.run(createFromRows, { items: ROWS, settings: { onError: 'continueRegularOutput' } });

		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual(ROWS.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.amount_in_cents ?? 'error')).toEqual([100, 'error', 300, 'error', 500]);
	});
});

describe('Execute Once', () => {
	it('sends the first item only, paired to it', async () => {
		const { items, error } = await kantata.run(createFromRows, { items: [{ amount: '1.00' }, { amount: '2.00' }, { amount: '3.00' }], executeOnce: true });

		expect(error).toBeUndefined();
		expect(sentCents()).toEqual([100]);
		expect(items.map((item) => [item.json.amount_in_cents, item.pairedItem])).toEqual([[100, { item: 0 }]]);
	});
});

describe('Always Output Data', () => {
	it('a Get Many that finds nothing outputs one empty item', async () => {
		const { items, error } = await kantata.run({ operation: 'getAll', filters: { ids: '999' } }, { settings: { alwaysOutputData: true } });

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{}]);
	});
});

describe('Batching', () => {
	const batching = (batchSize: number, batchInterval: number) => ({ batching: { batch: { batchSize, batchInterval } } });

	it('sends batches the interval apart, each row once, in input order', async () => {
		const rows = Array.from({ length: 6 }, (_, i) => ({ amount: `${i + 1}.00` }));
		const { items, error } = await kantata.run({ ...createFromRows, requestOptions: batching(2, 300) }, { items: rows });

		expect(error).toBeUndefined();
		expect(sentCents()).toEqual([100, 200, 300, 400, 500, 600]);
		expect(items.map((item) => item.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
		const at = kantata.server.requests.filter(creating).map((r) => r.receivedAt);
		expect(at[2] - at[1]).toBeGreaterThanOrEqual(250);
		expect(at[4] - at[3]).toBeGreaterThanOrEqual(250);
	});

	it('a failed request stops the rows of later batches too (without Continue On Fail)', async () => {
		const refused: Fault = { kind: 'status', status: 422, body: kantataErrorBody({ type: 'validation', message: 'Invoice is locked' }) };
		let seen = 0;
		kantata.server.injectFaults((r) => creating(r) && seen++ === 1, refused);
		const rows = Array.from({ length: 6 }, (_, i) => ({ amount: `${i + 1}.00` }));

		const { error } = await kantata.run({ ...createFromRows, requestOptions: batching(2, 200) }, { items: rows });

		expect(error?.message).toBe('Kantata OX refused the payment: Invoice is locked (row 2, item 1)');
		expect(sentCents()).toEqual([100, 200]);
		expect(kantata.state.countPayments()).toBe(1);
	});
});
