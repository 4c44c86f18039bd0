/**
 * Issue 27: a key means one payment. A Kantata OX Payment Key or a Moneybird transaction identifier already
 * recorded (by an earlier run, or earlier in this run) for another amount, date or invoice refuses the row before
 * anything is sent; only an exact repeat is output as already recorded. Skip If Already Recorded on, as the AI
 * tool has it by default.
 */
import type { IDataObject } from 'n8n-workflow';

import { ADM, byId, createParameters, errorText, INV, kantataFixture, keyedKantataCreate, moneybirdFixture, SEED } from './fixtures';

const skip = { skipIfAlreadyRecorded: true };

describe('Kantata OX: a Payment Key already recorded for another payment', () => {
	const kantata = kantataFixture();
	const create = keyedKantataCreate;
	const posts = () => kantata.paymentRequests().filter((r) => r.method === 'POST');

	it('recorded by an earlier run for 10.00: a row of 99.00 is refused, naming the key, both payments and the row; nothing sent', async () => {
		const recorded = kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 1000, message: 'Wire [n8n-key:BANK-7]' });

		const { error, items } = await kantata.run(create(), { items: [{ key: 'BANK-1', amount: '5.00' }, { key: 'BANK-7', amount: '99.00' }] });

		expect(items).toEqual([]);
		expect(error?.message).toBe(
			`Payment Key "BANK-7" is already recorded for another payment: 10.00 without an invoice (payment ${recorded.id}) in project 101; row 2 (item 1) says 99.00 without an invoice`,
		);
		expect(errorText(error)).toContain('Nothing was sent for row 2 (item 1)');
		expect(errorText(error)).toContain('give it a Payment Key of its own');
		// The row before it was recorded; the refused row sent nothing.
		expect(posts()).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(2);
	});

	it('an exact repeat is already recorded; the same key with another amount in the same run is refused (Continue On Fail)', async () => {
		const rows = [
			{ key: 'K-1', amount: '10.00' },
			{ key: 'K-1', amount: '10,00' },
			{ key: 'K-1', amount: '99.00' },
		];

		const result = await kantata.run(create(), { items: rows, continueOnFail: true });

		expect(result.items.map((item) => item.json.alreadyRecorded ?? 'error')).toEqual([false, true, 'error']);
		expect(String(result.items[2].json.error)).toMatch(/^Payment Key "K-1" is already recorded for another payment: 10\.00 without an invoice/);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(posts()).toHaveLength(1);
	});

	it('a key recorded for an invoice, reused for an amount without one, is refused', async () => {
		kantata.state.addPayment({ workspace_id: '101', invoice_id: '201', amount_in_cents: 1000, message: '[n8n-key:INV-201]' });

		const { error } = await kantata.run(create(), { items: [{ key: 'INV-201', amount: '10.00' }] });

		expect(error?.message).toContain('already recorded for another payment: 10.00 for invoice 201');
		expect(posts()).toHaveLength(0);
	});
});

describe('Moneybird: a transaction identifier already recorded for another payment', () => {
	const fx = moneybirdFixture();
	const fromRows = createParameters({
		invoice: byId('={{ $json.invoice }}'),
		paymentDate: '={{ $json.date }}',
		amount: '={{ $json.amount }}',
		additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
		options: { ...skip, refuseOverpayment: true },
	});
	const creates = () => fx.api().server.requests.filter((r) => r.method === 'POST');
	const row = (extra: IDataObject = {}): IDataObject => ({ invoice: INV, date: '2026-03-01', amount: '10.00', reference: 'PSP-1', ...extra });

	it('recorded for 10.00 on 2026-03-01: a row of 99.00 on 2026-03-05 is refused, naming both; nothing sent', async () => {
		await fx.run(fromRows, { items: [row()] });
		const [recorded] = fx.api().state.paymentsOf(INV);
		fx.api().server.resetLog();

		const { error } = await fx.run(fromRows, { items: [row({ date: '2026-03-05', amount: '99.00' })] });

		expect(error?.message).toBe(
			`Transaction Identifier "PSP-1" is already recorded for another payment: 10.00 on 2026-03-01 (payment ${recorded.id}) on external sales invoice ${INV}; row 1 (item 0) says 99.00 on 2026-03-05 on external sales invoice ${INV}`,
		);
		expect(errorText(error)).toContain('Nothing was sent for row 1 (item 0)');
		expect(creates()).toHaveLength(0);
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
	});

	it.each([
		['another date', { date: '2026-03-02' }],
		['another amount', { amount: '10.01' }],
	])('the same identifier with %s is refused', async (_name, change) => {
		await fx.run(fromRows, { items: [row()] });
		fx.api().server.resetLog();

		const { error } = await fx.run(fromRows, { items: [row(change)] });

		expect(error?.message).toMatch(/^Transaction Identifier "PSP-1" is already recorded for another payment/);
		expect(creates()).toHaveLength(0);
	});

	it('an exact repeat, in the next run or the same one, is already recorded', async () => {
		const first = await fx.run(fromRows, { items: [row(), row({ amount: '10,00' })] });
		const next = await fx.run(fromRows, { items: [row()] });

		expect(first.items.map((item) => item.json.alreadyRecorded)).toEqual([false, true]);
		expect(next.items.map((item) => item.json.alreadyRecorded)).toEqual([true]);
		expect(creates()).toHaveLength(1);
	});

	it('an identifier this run recorded on one invoice, reused on another, is refused', async () => {
		const rows = [row(), row({ invoice: SEED.invoices.open60 })];

		const result = await fx.run(fromRows, { items: rows, continueOnFail: true });

		expect(result.items[0].json.alreadyRecorded).toBe(false);
		expect(String(result.items[1].json.error)).toContain(`on external sales invoice ${INV}; row 2 (item 1) says 10.00 on 2026-03-01 on external sales invoice ${SEED.invoices.open60}`);
		expect(creates().map((r) => r.path)).toEqual([`/api/v2/${ADM}/external_sales_invoices/${INV}/payments.json`]);
	});
});
