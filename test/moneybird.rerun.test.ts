/* eslint-disable @typescript-eslint/no-unused-vars -- dev-only code, never shipped (docs/releasing.md) */
import type { INodeParameters } from 'n8n-workflow';

import { ADM, byId, createAlone, INV, moneybirdFixture, SEED } from './fixtures';

const fx = moneybirdFixture();

/** Create mapped from sheet rows, as a workflow over a sheet of bank payments would set it up. */
const fromRows = (options: INodeParameters = { skipIfAlreadyRecorded: true }): INodeParameters =>
	createAlone({
		invoice: byId('={{ $json.invoice }}'),
		paymentDate: '={{ $json.date }}',
		amount: '={{ $json.amount }}',
		additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
		options,
	});

const SHEET = [
	{ invoice: INV, date: '2025-03-01', amount: '121.00', reference: 'BANK-0001' },
	{ invoice: SEED.invoices.open60, date: '2025-03-02', amount: '60,50', reference: 'BANK-0002' },
	{ invoice: SEED.invoices.late, date: '2025-03-03', amount: '500', reference: '' },
];

const reads = () => fx.api().server.requests.filter((r) => r.method === 'GET');
const creates = () => fx.api().server.requests.filter((r) => r.method === 'POST');

describe('Skip If Already Recorded', () => {
	it('running the same sheet twice records each payment once; the second run outputs the payments found', async () => {
		const first = await fx.run(fromRows(), { items: SHEET });
		expect(first.error).toBeUndefined();
		expect(first.items.map((item) => item.json.alreadyRecorded)).toEqual([false, false, false]);
		expect(creates()).toHaveLength(3);

		fx.api().server.resetLog();
		const second = await fx.run(fromRows(), { items: SHEET });

		expect(second.error).toBeUndefined();
		expect(creates()).toHaveLength(0);
		// Three invoices, listed on one page of the period's invoices: one request finds every payment (moneybird.floor.test.ts).
		expect(reads().map((r) => r.path)).toEqual([`/api/v2/${ADM}/external_sales_invoices.json`]);
		expect(second.items.map((item) => item.json.alreadyRecorded)).toEqual([true, true, true]);
		expect(second.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
		expect(second.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The payment as Moneybird holds it, so its amount and date can be compared with the row downstream.
		const { alreadyRecorded: _flag, ...found } = second.items[0].json;
		expect(found).toEqual(fx.api().state.paymentsOf(INV)[0]);
		for (const row of SHEET) expect(fx.api().state.paymentsOf(row.invoice)).toHaveLength(1);
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
	});

	it('with a transaction identifier, the identifiers decide: the same one on another date is refused, not taken as recorded', async () => {
		await fx.run(fromRows({}), { items: [SHEET[0]] });
		fx.api().server.resetLog();

		// The bank dated the transaction a day later than the sheet did: which date is right is for a person to say.
		const sameReference = await fx.run(fromRows(), { items: [{ ...SHEET[0], date: '2025-03-02' }] });
		expect(sameReference.error?.message).toMatch(/^Transaction Identifier "BANK-0001" is already recorded for another payment: 121\.00 on 2025-03-01 /);
		expect(creates()).toHaveLength(0);

		// Same date and amount, another transaction: a second payment of the same size.
		const otherReference = await fx.run(fromRows(), { items: [{ ...SHEET[0], reference: 'BANK-0099' }] });
		expect(otherReference.items[0].json).toMatchObject({ alreadyRecorded: false, transaction_identifier: 'BANK-0099' });
		expect(fx.api().state.paymentsOf(INV).map((p) => p.transaction_identifier)).toEqual(['BANK-0001', 'BANK-0099']);
	});

	it('without one, the same payment date and amount match, compared in cents', async () => {
		// WS-1005 has 40.00 paid by a payment without a transaction identifier.
		const [seeded] = fx.api().state.paymentsOf(SEED.invoices.partial);
		const row = { invoice: SEED.invoices.partial, date: seeded.payment_date, amount: '40,00', reference: '' };

		const result = await fx.run(fromRows(), { items: [row] });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ ...seeded, alreadyRecorded: true });
		expect(creates()).toHaveLength(0);
	});

	it('a recorded payment with a transaction identifier matches a row without one by date and amount', async () => {
		await fx.run(fromRows({}), { items: [SHEET[0]] });

		const result = await fx.run(fromRows(), { items: [{ ...SHEET[0], reference: '' }] });

		expect(result.items[0].json).toMatchObject({ alreadyRecorded: true, transaction_identifier: 'BANK-0001' });
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
	});

	it.each([
		['a different amount on the same date', { amount: '40.01' }],
		['the same amount on another date', { date: '2025-01-02' }],
	])('%s is not a match: the payment is recorded', async (_name, change) => {
		const [seeded] = fx.api().state.paymentsOf(SEED.invoices.partial);
		const row = { invoice: SEED.invoices.partial, date: seeded.payment_date, amount: '40.00', reference: '', ...change };

		const result = await fx.run(fromRows(), { items: [row] });

		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ alreadyRecorded: false, price: row.amount.replace(/0$/, '') });
		expect(result.items[0].json.id).not.toBe(seeded.id);
		expect(fx.api().state.paymentsOf(SEED.invoices.partial)).toHaveLength(2);
	});

	it('a row repeated in the same run is recorded once; the repeat outputs the payment the first row recorded', async () => {
		const rows = [SHEET[0], SHEET[1], { ...SHEET[0] }, { ...SHEET[2] }, { ...SHEET[2] }];

		const result = await fx.run(fromRows(), { items: rows });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual([false, false, true, false, true]);
		expect(result.items[2].json.id).toBe(result.items[0].json.id);
		expect(result.items[4].json.id).toBe(result.items[3].json.id);
		expect(creates()).toHaveLength(3);
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
	});

	it('a create whose answer was lost is still found as the one this item recorded, not as already recorded', async () => {
		fx.api().server.injectFaults((r) => r.method === 'POST', { kind: 'resetAfterHandling' });

		const result = await fx.run(fromRows(), { items: [SHEET[0]] });

		expect(result.error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		expect(result.items[0].json).toEqual({ ...fx.api().state.paymentsOf(INV)[0], alreadyRecorded: false });
	});

	it('off (the default): no invoice is read and the output is the payment as Moneybird answers it', async () => {
		const result = await fx.run(fromRows({}), { items: [SHEET[0], SHEET[0]] });

		expect(result.error).toBeUndefined();
		expect(reads()).toEqual([]);
		expect(creates()).toHaveLength(2);
		expect(result.items.map((item) => 'alreadyRecorded' in item.json)).toEqual([false, false]);
		expect(result.items.map((item) => item.json)).toEqual(fx.api().state.paymentsOf(INV));
	});

	it('an invoice that cannot be read fails the item, and nothing is recorded for it', async () => {
		const missing = '458026357029999999';
		const result = await fx.run(fromRows(), { items: [{ ...SHEET[0], invoice: missing }, SHEET[1]], continueOnFail: true });

		expect(result.items[0].json.error).toBe(`Moneybird has no external sales invoice ${missing} in administration ${ADM} (row 1, item 0)`);
		expect(result.items[0].json.message).toContain('Nothing was recorded for this item');
		expect(result.items[1].json).toMatchObject({ alreadyRecorded: false, invoice_id: SHEET[1].invoice });
		expect(creates().map((r) => r.path)).toEqual([`/api/v2/${ADM}/external_sales_invoices/${SHEET[1].invoice}/payments.json`]);
	});

	it('a read that keeps failing is named as such; the create is not sent', async () => {
		fx.api().server.injectFaults((r) => r.method === 'GET', ...Array(4).fill({ kind: 'status', status: 503, rawBody: '' }));

		const result = await fx.run(fromRows(), { items: [SHEET[0]] });

		expect(result.error?.message).toBe('Moneybird answered 503 (row 1, item 0)');
		expect(result.error?.description).toContain('Nothing was recorded for this item: with "Skip If Already Recorded" on');
		expect(creates()).toHaveLength(0);
		expect(fx.api().state.paymentsOf(INV)).toEqual([]);
	});
});
