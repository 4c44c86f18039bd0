import { ADM, byId, moneybirdFixture, SEED } from './fixtures';
import { DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = moneybirdFixture();

const deleteParameters = (invoice: string, paymentId: string) => ({
	operation: 'delete',
	administration: byId(ADM),
	invoice: byId(invoice),
	paymentId,
});

describe('Delete', () => {
	it('deletes the payment at its exact path and outputs what was deleted', async () => {
		const result = await fx.run(deleteParameters(SEED.invoices.partial, SEED.payments.partial));

		expect(result.error).toBeUndefined();
		expect(fx.api().server.requests).toHaveLength(1);
		const [request] = fx.api().server.requests;
		expect(request).toMatchObject({
			method: 'DELETE',
			path: `/api/v2/${ADM}/external_sales_invoices/${SEED.invoices.partial}/payments/${SEED.payments.partial}.json`,
			query: {},
			rawBody: '',
		});
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		expect(result.items).toEqual([{ json: { id: SEED.payments.partial, deleted: true }, pairedItem: { item: 0 } }]);
		expect(fx.api().state.paymentsOf(SEED.invoices.partial)).toEqual([]);
		expect(fx.api().state.getInvoice(SEED.invoices.partial)).toMatchObject({ total_unpaid: '100.0' });
	});

	it('deletes one payment per item, in order, each output paired to its item', async () => {
		const result = await fx.run(
			{ ...deleteParameters('', ''), invoice: byId('={{ $json.invoice }}'), paymentId: '={{ $json.payment }}' },
			{
				items: [
					{ invoice: SEED.invoices.paid, payment: SEED.payments.paid },
					{ invoice: SEED.invoices.partial, payment: SEED.payments.partial },
				],
			},
		);

		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests().map((r) => r.path.split('/').slice(-3).join('/'))).toEqual([
			`${SEED.invoices.paid}/payments/${SEED.payments.paid}.json`,
			`${SEED.invoices.partial}/payments/${SEED.payments.partial}.json`,
		]);
		expect(result.items).toEqual([
			{ json: { id: SEED.payments.paid, deleted: true }, pairedItem: { item: 0 } },
			{ json: { id: SEED.payments.partial, deleted: true }, pairedItem: { item: 1 } },
		]);
	});

	it.each(['12ab', ' ', '4580263570300000021', '1/../2'])('refuses Payment ID %j before anything is sent', async (paymentId) => {
		const result = await fx.run(deleteParameters(SEED.invoices.partial, paymentId));

		expect(result.error?.message).toMatch(/^Invalid Payment ID in row 1 \(item 0\): /);
		expect(fx.api().server.requests).toHaveLength(0);
		expect(fx.api().state.paymentsOf(SEED.invoices.partial)).toHaveLength(1);
	});

	it('counts a delete whose answer was lost as done when the retry finds the payment gone', async () => {
		fx.api().server.injectFaults((r) => r.method === 'DELETE', { kind: 'resetAfterHandling' });

		const result = await fx.run(deleteParameters(SEED.invoices.partial, SEED.payments.partial));

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([{ json: { id: SEED.payments.partial, deleted: true }, pairedItem: { item: 0 } }]);
		expect(fx.paymentRequests().map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
	});
});
