import type { INodeParameters } from 'n8n-workflow';

import { ADM, byId, createParameters, errorText, INV, moneybirdFixture, SEED } from './fixtures';

/**
 * Create's option Refuse Overpayment (on by default): an item whose amount is more than is left to pay on the
 * invoice is refused before it is sent, counting payments recorded earlier in the same run; cents exact.
 */
const fx = moneybirdFixture();

const invoiceReads = () => fx.api().server.requests.filter((r) => r.method === 'GET');
const creates = () => fx.api().server.requests.filter((r) => r.method === 'POST');

/** Rows mapped to a Create By ID, with Options as given (Refuse Overpayment at its default unless named). */
const fromRows = (options: INodeParameters = {}): INodeParameters => ({
	...createParameters({ invoice: byId('={{ $json.invoice }}'), amount: '={{ $json.amount }}' }),
	options,
});

describe('Refuse Overpayment', () => {
	it('refuses the row that would pay more than is open, naming the invoice, what is open and the item', async () => {
		// INV: 121.00, nothing paid. 100.00 + 20.99 leave 0.01 open; 0.02 more is too much, 0.01 is not.
		const rows = [
			{ invoice: INV, amount: '100.00' },
			{ invoice: INV, amount: '20,99' },
			{ invoice: INV, amount: '0.02' },
			{ invoice: INV, amount: '0.01' },
		];

		const result = await fx.run(fromRows(), { items: rows, continueOnFail: true });

		expect(result.items.map((item) => item.json.error ?? item.json.price)).toEqual([
			'100.0',
			'20.99',
			`Amount 0.02 in row 3 (item 2) would overpay external sales invoice ${INV}: 0.01 is open`,
			'0.01',
		]);
		expect(result.items[2].json.message).toContain('Nothing was sent for row 3 (item 2)');
		expect(result.items[2].pairedItem).toEqual({ item: 2 });
		expect(creates()).toHaveLength(3);
		expect(invoiceReads()).toHaveLength(1);
		expect(fx.api().state.getInvoice(INV).total_unpaid).toBe('0.0');
	});

	it('counts what is already paid: a partly paid invoice takes only what is left', async () => {
		// WS-1005 (SEED.invoices.partial): 100.00 with 40.00 paid.
		const result = await fx.run(fromRows(), { items: [{ invoice: SEED.invoices.partial, amount: '60.01' }] });

		expect(errorText(result.error)).toContain(`Amount 60.01 in row 1 (item 0) would overpay external sales invoice ${SEED.invoices.partial}: 60.00 is open`);
		expect(creates()).toHaveLength(0);
	});

	it('without Continue On Fail, the refused row stops the rows after it; the ones before it were recorded', async () => {
		const rows = [{ invoice: INV, amount: '121.00' }, { invoice: INV, amount: '1.00' }, { invoice: SEED.invoices.open60, amount: '1.00' }];

		const result = await fx.run(fromRows(), { items: rows });

		expect(result.error?.message).toBe(`Amount 1.00 in row 2 (item 1) would overpay external sales invoice ${INV}: 0.00 is open`);
		expect(creates()).toHaveLength(1);
	});

	it('a negative amount (money paid back) is never an overpayment, and reads nothing', async () => {
		const result = await fx.run(fromRows(), { items: [{ invoice: SEED.invoices.paid, amount: '-10.00' }] });

		expect(result.error).toBeUndefined();
		expect(invoiceReads()).toHaveLength(0);
		expect(creates()).toHaveLength(1);
	});

	it('turned off, an overpayment is sent as asked, and no invoice is read', async () => {
		const result = await fx.run(fromRows({ refuseOverpayment: false }), { items: [{ invoice: SEED.invoices.paid, amount: '5.00' }] });

		expect(result.error).toBeUndefined();
		expect(invoiceReads()).toHaveLength(0);
		expect(creates()).toHaveLength(1);
	});

	it('with Skip If Already Recorded, a row already recorded is output as found, not refused', async () => {
		const rows = [{ invoice: INV, amount: '121.00' }, { invoice: INV, amount: '121.00' }];

		const result = await fx.run(fromRows({ skipIfAlreadyRecorded: true }), { items: rows });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual([false, true]);
		// Read before the run's create, and once after it (overlappingRuns.test.ts).
		expect(invoiceReads().map((r) => r.path)).toEqual(Array(2).fill(`/api/v2/${ADM}/external_sales_invoices/${INV}.json`));
	});
});
