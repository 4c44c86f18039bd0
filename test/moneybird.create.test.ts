/* eslint-disable @typescript-eslint/no-unused-vars -- dev-only code, never shipped (docs/releasing.md) */
import type { INodeParameters } from 'n8n-workflow';

import { ADM, byId, createAlone, errorText, INV, moneybirdFixture, paymentsPath, SEED } from './fixtures';
import { DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = moneybirdFixture();

/** The `payment` object of a recorded request body. */
const sentPayment = (rawBody: string) => (JSON.parse(rawBody) as { payment: Record<string, unknown> }).payment;

describe('Create', () => {
	it('sends only the required fields and outputs the payment Moneybird answers, as it came', async () => {
		const result = await fx.run(createAlone());

		expect(result.error).toBeUndefined();
		expect(fx.api().server.requests).toHaveLength(1);
		const [request] = fx.api().server.requests;
		expect(request).toMatchObject({ method: 'POST', path: paymentsPath(), query: {} });
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.rawBody).toBe('{"payment":{"payment_date":"2025-03-01","price":"121.00"}}');

		const recorded = fx.api().state.paymentsOf(INV);
		expect(recorded).toHaveLength(1);
		expect(result.items).toEqual([{ json: recorded[0], pairedItem: { item: 0 } }]);
		expect(result.items[0].json).toMatchObject({ invoice_id: INV, administration_id: ADM, price: '121.0' });
	});

	it("books today's date when Payment Date keeps its default", async () => {
		const { paymentDate: _omitted, ...parameters } = createAlone();
		const result = await fx.run(parameters);

		expect(result.error).toBeUndefined();
		const sent = sentPayment(fx.paymentRequests()[0].rawBody).payment_date as string;
		const day = 86_400_000;
		const around = [-day, 0, day].map((offset) => new Date(Date.now() + offset).toISOString().slice(0, 10));
		expect(around).toContain(sent);
	});

	it('takes the date part of a date-time and refuses a date that does not exist, sending nothing', async () => {
		const ok = await fx.run(createAlone({ paymentDate: '2025-02-28T23:30:00+01:00' }));
		expect(ok.error).toBeUndefined();
		expect(sentPayment(fx.paymentRequests()[0].rawBody).payment_date).toBe('2025-02-28');

		const bad = await fx.run(createAlone({ paymentDate: '2025-02-30' }));
		expect(bad.error?.message).toBe('Invalid Payment Date in row 1 (item 0): "2025-02-30" is not a real calendar date');
		expect(fx.paymentRequests()).toHaveLength(1);
	});

	it.each([
		['priceBase', 'price_base', '229,50', '229.50', { invoice: byId(SEED.invoices.usd), amount: '250.00' }],
		['financialAccountId', 'financial_account_id', SEED.financialAccounts.bank, SEED.financialAccounts.bank, {}],
		['financialMutationId', 'financial_mutation_id', SEED.financialMutations.ws1001, SEED.financialMutations.ws1001, {}],
		['ledgerAccountId', 'ledger_account_id', SEED.ledgerAccounts.suspense, SEED.ledgerAccounts.suspense, {}],
		['invoiceId', 'invoice_id', SEED.invoices.open60, SEED.invoices.open60, {}],
		['transactionIdentifier', 'transaction_identifier', 'PSP-2025-000123', 'PSP-2025-000123', {}],
	])('sends Additional Field %s as payment.%s, text for text', async (parameter, field, given, sent, extra) => {
		const result = await fx.run(createAlone({ ...(extra as INodeParameters), additionalFields: { [parameter]: given } }));

		expect(result.error).toBeUndefined();
		const [request] = fx.paymentRequests();
		expect(request.rawBody).toContain(`"${field}":"${sent}"`);
		expect(Object.keys(sentPayment(request.rawBody)).sort()).toEqual(['payment_date', 'price', field].sort());
		expect(result.items).toHaveLength(1);
		// Moneybird shows a settled document as credit_invoice_id and amounts in its own notation.
		const shown = field === 'invoice_id' ? 'credit_invoice_id' : field;
		expect(result.items[0].json[shown]).toBe(field === 'price_base' ? '229.5' : sent);
	});

	it.each(['priceBase', 'financialAccountId', 'financialMutationId', 'ledgerAccountId', 'invoiceId', 'transactionIdentifier'])(
		'an Additional Field %s left empty, or mapped from an empty cell, is not set',
		async (parameter) => {
			const result = await fx.run(createAlone({ additionalFields: { [parameter]: '={{ $json.cell }}' } }), {
				items: [{ cell: '' }, { cell: '  ' }, { cell: null }, {}],
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			const bodies = fx.paymentRequests().map((request) => request.rawBody);
			expect(new Set(bodies)).toEqual(new Set(['{"payment":{"payment_date":"2025-03-01","price":"121.00"}}']));
			expect(bodies).toHaveLength(4);
		},
	);

	it('an empty Additional Field typed in the panel is not set', async () => {
		const result = await fx.run(createAlone({ additionalFields: { financialAccountId: '', manualPaymentAction: '' } }));
		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests()[0].rawBody).toBe('{"payment":{"payment_date":"2025-03-01","price":"121.00"}}');
	});
});

describe('Manual Payment Action', () => {
	/** Each action that needs another field: [action, field in Moneybird, node parameter, its label, an ID]. */
	const companions = [
		['private_payment', 'financial_account_id', 'financialAccountId', 'Financial Account', SEED.financialAccounts.bank],
		['cash_payment', 'financial_account_id', 'financialAccountId', 'Financial Account', SEED.financialAccounts.creditCard],
		['bank_transfer', 'financial_mutation_id', 'financialMutationId', 'Financial Mutation ID', SEED.financialMutations.ws1001],
		['balance_settlement', 'ledger_account_id', 'ledgerAccountId', 'Ledger Account', SEED.ledgerAccounts.suspense],
		['invoices_settlement', 'invoice_id', 'invoiceId', 'Invoice ID', SEED.invoices.open60],
	];

	it.each(companions)('%s with its %s is recorded', async (action, field, parameter, _label, id) => {
		const result = await fx.run(createAlone({ additionalFields: { manualPaymentAction: action, [parameter]: id } }));

		expect(result.error).toBeUndefined();
		const payment = sentPayment(fx.paymentRequests()[0].rawBody);
		expect(payment).toEqual({ payment_date: '2025-03-01', price: '121.00', [field]: id, manual_payment_action: action });
		expect(result.items[0].json.manual_payment_action).toBe(action);
	});

	it.each(['payment_without_proof', 'rounding_error'])('%s needs no other field', async (action) => {
		const result = await fx.run(createAlone({ additionalFields: { manualPaymentAction: action } }));

		expect(result.error).toBeUndefined();
		expect(sentPayment(fx.paymentRequests()[0].rawBody)).toEqual({
			payment_date: '2025-03-01',
			price: '121.00',
			manual_payment_action: action,
		});
	});

	it.each(companions)(
		'%s without its %s is refused before anything is sent, naming the action, the field and the item',
		async (action, field, _parameter, label) => {
			// Item 0 is fine; item 1 lacks the field its action needs. Without "Continue On Fail" neither is sent.
			const result = await fx.run(createAlone({ additionalFields: { manualPaymentAction: '={{ $json.action }}' } }), {
				items: [{ action: 'payment_without_proof' }, { action }],
			});

			expect(result.error?.message).toContain('item 1');
			expect(result.error?.message).toContain(`(${action}) needs ${label} (${field})`);
			expect(errorText(result.error)).toContain('Nothing was sent for row 2 (item 1)');
			expect(fx.api().server.requests).toHaveLength(0);
			expect(result.items).toEqual([]);
		},
	);

	it('refuses an action Moneybird does not know', async () => {
		const result = await fx.run(createAlone({ additionalFields: { manualPaymentAction: '={{ "gift" }}' } }));
		expect(result.error?.message).toMatch(/^Invalid Manual Payment Action in row 1 \(item 0\): "gift" is not one of balance_settlement, /);
		expect(fx.api().server.requests).toHaveLength(0);
	});
});

describe('Amount', () => {
	it.each([
		[1234.5, 'auto', '1234.50'],
		['1234.50', 'auto', '1234.50'],
		['1234,50', 'auto', '1234.50'],
		['1,234.50', 'pointDecimal', '1234.50'],
		['1.234,50', 'commaDecimal', '1234.50'],
		['-25', 'auto', '-25.00'],
		['1000000000', 'auto', '1000000000.00'],
	])('%j read as %s is sent as "%s"', async (amount, amountFormat, sent) => {
		const result = await fx.run(createAlone({ amount: '={{ $json.amount }}', options: { amountFormat } }), {
			items: [{ amount }],
		});

		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests()[0].rawBody).toContain(`"price":"${sent}"`);
	});

	it.each([
		['1,234.50', 'auto', 'has more than one separator'],
		['12.345', 'auto', 'could be 12345.00 or 12.345'],
		['0.001', 'auto', 'could be 1.00 or 0.001'],
		['10.001', 'pointDecimal', 'has more decimals than cents'],
		['1000000000.01', 'auto', 'is above the highest allowed amount, 1000000000.00'],
		['-1000000000.01', 'auto', 'is below the lowest allowed amount, -1000000000.00'],
		['12 EUR', 'auto', 'is not an amount'],
		['12.34,50', 'commaDecimal', 'has thousands separators "." in the wrong places'],
		['', 'auto', 'the amount is empty'],
	])('%j read as %s is refused (%s) and nothing is sent', async (amount, amountFormat, reason) => {
		const result = await fx.run(createAlone({ amount: '={{ $json.amount }}', options: { amountFormat } }), {
			items: [{ amount }],
		});

		expect(result.error?.message).toMatch(/^Invalid Amount in row 1 \(item 0\): /);
		expect(result.error?.message).toContain(reason);
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it('reads Amount in Base Currency with the same rules', async () => {
		const result = await fx.run(
			createAlone({ invoice: byId(SEED.invoices.usd), amount: '250', additionalFields: { priceBase: '229.505' } }),
		);
		expect(result.error?.message).toMatch(/^Invalid Amount in Base Currency in row 1 \(item 0\): "229.505" could be 229505.00 or 229.505/);
		expect(fx.api().server.requests).toHaveLength(0);
	});
});

describe('18-digit IDs', () => {
	it('arrive digit for digit in the path and the body, from an invoice URL too, and come back as text', async () => {
		const invoiceUrl = `https://moneybird.com/${ADM}/external_sales_invoices/${SEED.invoices.open60}`;
		const result = await fx.run(
			createAlone({
				invoice: { __rl: true, mode: 'url', value: invoiceUrl },
				amount: '60.50',
				additionalFields: { manualPaymentAction: 'bank_transfer', financialMutationId: '={{ $json.mutation }}' },
			}),
			{ items: [{ mutation: SEED.financialMutations.ws1002 }] },
		);

		expect(result.error).toBeUndefined();
		const [request] = fx.paymentRequests();
		expect(request.path).toBe(`/api/v2/458026356994787289/external_sales_invoices/458026357020000002/payments.json`);
		expect(request.rawBody).toContain('"financial_mutation_id":"458026357060000002"');
		expect(result.items[0].json).toMatchObject({
			invoice_id: '458026357020000002',
			administration_id: '458026356994787289',
			financial_mutation_id: '458026357060000002',
		});
		expect(result.items[0].json.id).toEqual(expect.stringMatching(/^\d{18}$/));
	});

	it('refuses an ID that reached the node as a number, since it has already lost digits', async () => {
		// 458026357040000001 as a JavaScript number is 458026357040000000.
		const result = await fx.run(createAlone({ additionalFields: { financialAccountId: '={{ $json.account }}' } }), {
			items: [{ account: Number(SEED.financialAccounts.bank) }],
		});

		expect(result.error?.message).toMatch(/^Invalid Financial Account in row 1 \(item 0\): .* is a number too large to be exact/);
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it.each([
		['administration', `${ADM}/../1`, 'Administration'],
		['invoice', `${INV}?x=1`, 'External Sales Invoice'],
		['invoice', '4580263570200000011', 'External Sales Invoice'],
		['invoice', ' ', 'External Sales Invoice'],
	])('keeps anything but an ID of at most 18 digits out of the path (%s mapped as %j)', async (parameter, value, label) => {
		// A typed ID is held to the mode's pattern by n8n itself; a mapped one reaches the node as it is.
		const result = await fx.run(createAlone({ [parameter]: byId('={{ $json.id }}') }), { items: [{ id: value }] });

		expect(result.error?.message).toMatch(new RegExp(`^Invalid ${label} in row 1 \\(item 0\\): `));
		expect(fx.api().server.requests).toHaveLength(0);
	});
});

describe('Batches', () => {
	const items = [{ amount: '10.00' }, { amount: '10.001' }, { amount: '20,00' }];
	const parameters = createAlone({ amount: '={{ $json.amount }}' });

	it('with Continue On Fail: one error item paired to the bad input, payments for the rest, in order', async () => {
		const result = await fx.run(parameters, { items, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toMatchObject({ price: '10.0' });
		expect(result.items[1].json).toEqual({
			error: expect.stringContaining('Invalid Amount in row 2 (item 1)'),
			message: expect.stringContaining('Correct "Amount" in that row'),
		});
		expect(result.items[2].json).toMatchObject({ price: '20.0' });
		expect(fx.paymentRequests().map((r) => sentPayment(r.rawBody).price)).toEqual(['10.00', '20.00']);
	});

	it('without it: the bad item stops the run and nothing is sent, not even the items before it', async () => {
		const result = await fx.run(parameters, { items });

		expect(result.error?.message).toMatch(/^Invalid Amount in row 2 \(item 1\): "10.001" could be 10001.00 or 10.001/);
		expect(result.items).toEqual([]);
		expect(fx.api().server.requests).toHaveLength(0);
		expect(fx.api().state.paymentsOf(INV)).toEqual([]);
	});
});
