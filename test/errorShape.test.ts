import { requestsTo } from '../sandbox/server';
import { kantataErrorBody } from '../sandbox/kantata';
import { selectedEngine } from './harness/engines';
import { byId, kantataFixture } from './fixtures';

/**
 * How a failed item reads in n8n's editor and stored run. WorkflowExecute stores a node's error as a copy of its
 * own enumerable fields; the editor shows "From <node>" with an error code when the error has an HTTP code or raw
 * API messages. So a refused input must have neither, and an API refusal must keep its status.
 */
const kantata = kantataFixture();
/** On engine `mixed` the package's n8n-workflow is another copy than the engine's (see engines.js). */
const sharedCopy = selectedEngine().name !== 'mixed';
const stored = (error: object | undefined) => JSON.parse(JSON.stringify({ ...error })) as Record<string, unknown>;

const createForAmount = (amount: string) => ({ operation: 'create', project: byId('101'), recordFor: 'amount', amount });

describe('How an item error reads in the editor and the stored run', () => {
	it('an input refused before sending is an operation error: no HTTP code, no API message, nothing sent', async () => {
		const { error } = await kantata.run(createForAmount('abc'));
		const saved = stored(error);
		expect(saved.message).toBe('Invalid Amount in row 1 (item 0): "abc" is not an amount');
		expect(saved.description).toBe('Nothing was sent for row 1 (item 0). Correct "Amount" in that row and run it again.');
		expect(kantata.server.requests).toHaveLength(0);
		if (sharedCopy) {
			expect(saved.name).toBe('NodeOperationError');
			expect(saved.httpCode ?? null).toBeNull();
			expect(saved.messages ?? []).toEqual([]);
		} else {
			// RoutingNode re-wraps an error whose class is from another n8n-workflow copy as an API error with code
			// "none" (routingNodeContract.test.ts); what was wrong, in which item, and that nothing was sent survive.
			expect(saved.name).toBe('NodeApiError');
			expect(saved.httpCode).toBe('none');
		}
	});

	it('an API refusal is an API error with its status and the API words, and nothing engine-only stored', async () => {
		kantata.server.injectFaults(requestsTo('POST', '/api/v1/external_payments.json'), {
			kind: 'status',
			status: 422,
			body: kantataErrorBody({ type: 'validation', message: 'Amount is too large for this invoice' }),
		});
		const { error } = await kantata.run(createForAmount('10.00'));
		const saved = stored(error);
		expect(saved.name).toBe('NodeApiError');
		expect(saved.httpCode).toBe('422');
		expect(String(saved.message)).toContain('Amount is too large for this invoice');
		expect(saved).not.toHaveProperty('isAxiosError');
		expect(saved).not.toHaveProperty('response');
	});

	it('with Continue On Fail, a refused input is that item\'s error and the next item is still sent', async () => {
		const { items } = await kantata.run(createForAmount('={{ $json.amount }}'), {
			continueOnFail: true,
			items: [{ amount: 'abc' }, { amount: '5.00' }],
		});
		expect(items).toHaveLength(2);
		expect(items[0].error?.message ?? items[0].json.error).toBe('Invalid Amount in row 1 (item 0): "abc" is not an amount');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.amount_in_cents).toBe(500);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});
