/*
 * Issue 27: amounts with thousands separators and zero amounts, run through n8n's engine against both sandbox
 * APIs. Under the default Amount Format (Auto) a row of "1,000" is refused before anything is sent, rather than
 * booked as 1.00; under the format that says what the separator is, it is recorded as 1000.00. A zero amount
 * is refused in both services. (The parser's rules themselves: test/amounts.generated.test.ts.)
 */
import type { INodeParameters } from 'n8n-workflow';

import { byId, createAlone, errorText, kantataFixture, moneybirdFixture } from './fixtures';

const ISSUE_ROWS = [
	['1,000', 'pointDecimal', '1000.00'],
	['2.500', 'commaDecimal', '2500.00'],
	['12,300', 'pointDecimal', '12300.00'],
] as const;

const ZEROS = [0, '0', '0.00', '-0,00'];

describe('Moneybird Create: amounts with thousands separators', () => {
	const fx = moneybirdFixture();
	const fromRow = (options: INodeParameters = {}) => createAlone({ amount: '={{ $json.amount }}', options });

	it.each(ISSUE_ROWS)('a row of %j under the default Amount Format is refused, and nothing is sent', async (amount, format, meant) => {
		// Options exactly as a new node has them: Refuse Overpayment on, which would read the invoice first.
		const result = await fx.run({ ...fromRow(), options: {} }, { items: [{ amount }] });

		expect(result.error?.message).toMatch(new RegExp(`^Invalid Amount in row 1 \\(item 0\\): "${amount}" could be ${meant} or `));
		expect(result.error?.message).toContain(format === 'pointDecimal' ? '"Point Decimal (1,234.50)"' : '"Comma Decimal (1.234,50)"');
		expect(errorText(result.error)).toContain('Nothing was sent for row 1 (item 0)');
		expect(result.items).toEqual([]);
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it.each(ISSUE_ROWS)('%j under %s is recorded as %s', async (amount, amountFormat, meant) => {
		const result = await fx.run(fromRow({ amountFormat }), { items: [{ amount }] });

		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests()).toHaveLength(1);
		expect(fx.paymentRequests()[0].rawBody).toBe(`{"payment":{"payment_date":"2025-03-01","price":"${meant}"}}`);
		expect(result.items[0].json).toMatchObject({ price: meant.replace(/0$/, '') });
	});

	it.each(ZEROS)('a zero amount (%j) is refused, and nothing is sent', async (amount) => {
		const result = await fx.run(fromRow({ amountFormat: typeof amount === 'string' && amount.includes(',') ? 'commaDecimal' : 'auto' }), {
			items: [{ amount }],
		});

		expect(result.error?.message).toMatch(/^Invalid Amount in row 1 \(item 0\): ".*" is zero; a payment of zero records nothing/);
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it('a negative amount (money paid back) is still recorded', async () => {
		const result = await fx.run(fromRow(), { items: [{ amount: '-25,50' }] });

		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests()[0].rawBody).toContain('"price":"-25.50"');
	});
});

describe('Kantata OX Create: amounts with thousands separators', () => {
	const kantata = kantataFixture();
	const fromRow = (options: INodeParameters = {}): INodeParameters => ({
		operation: 'create',
		project: byId('101'),
		recordFor: 'amount',
		amount: '={{ $json.amount }}',
		options,
	});
	const sentCents = () =>
		kantata.paymentRequests().map((request) => (request.body as { external_payment: { amount_in_cents: unknown } }).external_payment.amount_in_cents);

	it.each(ISSUE_ROWS)('a row of %j under the default Amount Format is refused, and nothing is sent', async (amount, _format, meant) => {
		const { error, items } = await kantata.run(fromRow(), { items: [{ amount }] });

		expect(error?.message).toMatch(new RegExp(`^Invalid Amount in row 1 \\(item 0\\): "${amount}" could be ${meant} or `));
		expect(errorText(error)).toContain('Nothing was sent for row 1 (item 0)');
		expect(items).toEqual([]);
		expect(kantata.server.requests).toHaveLength(0);
		expect(kantata.state.countPayments()).toBe(0);
	});

	it.each(ISSUE_ROWS)('%j under %s is recorded as %s', async (amount, amountFormat, meant) => {
		const cents = Number(meant.replace('.', ''));
		const { error, items } = await kantata.run(fromRow({ amountFormat }), { items: [{ amount }] });

		expect(error).toBeUndefined();
		expect(sentCents()).toEqual([cents]);
		expect(items[0].json.amount_in_cents).toBe(cents);
	});

	it('"1,000" under Point Decimal is 100000 cents', async () => {
		const { error } = await kantata.run(fromRow({ amountFormat: 'pointDecimal' }), { items: [{ amount: '1,000' }] });

		expect(error).toBeUndefined();
		expect(sentCents()).toEqual([100000]);
	});

	it.each(ZEROS.slice(0, 3))('a zero amount (%j) is refused, and nothing is sent', async (amount) => {
		const { error, items } = await kantata.run(fromRow(), { items: [{ amount }] });

		expect(error?.message).toMatch(/^Invalid Amount in row 1 \(item 0\): ".*" is zero; a payment of zero records nothing/);
		expect(items).toEqual([]);
		expect(kantata.server.requests).toHaveLength(0);
	});
});
