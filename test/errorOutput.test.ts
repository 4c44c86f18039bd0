/**
 * Issue 27: errors a bookkeeper can act on, on every path. With On Error "Continue (using error output)", a refused
 * row's error item carries the whole message in `error`, what to do (with what identifies the row) in `message`, and
 * n8n adds the input row's own fields (its reference, its sheet `row_number`), so a following node can map each.
 * A row names its sheet row when the item has one. Every row's own checks run before any request.
 */
import { createParameters, moneybirdFixture } from './fixtures';

const moneybird = moneybirdFixture();

/** Sheet rows as n8n's Google Sheets node gives them: a header, so the first row of data is row 2. */
const SHEET = [
	{ row_number: 2, reference: 'WS-1001', date: '2025-03-01', amount: '121.00' },
	{ row_number: 3, reference: 'WS-1002', date: '2025-03-01', amount: '60,5O' },
	{ row_number: 4, reference: 'WS-1002', date: '2025-03-01', amount: '70.00' },
];

const fromSheet = createParameters({
	invoice: { __rl: true, mode: 'reference', value: '={{ $json.reference }}' },
	paymentDate: '={{ $json.date }}',
	amount: '={{ $json.amount }}',
	options: { refuseOverpayment: true },
});

describe('The error output of a refused row', () => {
	it('carries the message, the hint, the sheet row and the reference as the row gave them', async () => {
		const { outputs, error } = await moneybird.run(fromSheet, { items: SHEET, settings: { onError: 'continueErrorOutput' } });

		expect(error).toBeUndefined();
		const [success, failed] = outputs;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);

		const [badAmount, overpaid] = failed.map((item) => item.json);
		expect(badAmount).toEqual({
			...SHEET[1],
			error: 'Invalid Amount in sheet row 3 (item 1): "60,5O" is not an amount',
			message:
				'Sheet row 3 (item 1): reference "WS-1002", payment date "2025-03-01", amount "60,5O". Nothing was sent for sheet row 3 (item 1). Correct "Amount" in that row and run it again.',
		});
		expect(overpaid).toMatchObject({ ...SHEET[2], error: expect.stringMatching(/^Amount 70\.00 in sheet row 4 \(item 2\) would overpay external sales invoice \d+: 60\.50 is open$/) });
		expect(overpaid.message).toMatch(/^Sheet row 4 \(item 2\): reference "WS-1002", /);
		expect(overpaid.message).toContain('To record more than is open, turn off Options > Refuse Overpayment.');
	});

	it('a bad amount is reported as a bad amount even when Moneybird cannot be reached', async () => {
		await moneybird.api().server.stop();

		const { items } = await moneybird.run(fromSheet, { items: SHEET.slice(0, 2), continueOnFail: true });

		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toContain('Moneybird could not be reached');
		expect(items[1].json.error).toBe('Invalid Amount in sheet row 3 (item 1): "60,5O" is not an amount');
	});

	it('an API refusal that stops the run names its row and what identifies it', async () => {
		moneybird.api().server.injectFaults((r) => r.method === 'POST', { kind: 'status', status: 422, body: { error: { price: ['is too high'] } } });

		const { error } = await moneybird.run(fromSheet, { items: [SHEET[0]] });

		expect(error?.message).toMatch(/^Moneybird refused the payment: .* \(sheet row 2, item 0\)$/);
		expect((error as { description?: string } | undefined)?.description).toMatch(/^Sheet row 2 \(item 0\): reference "WS-1001", /);
	});
});
