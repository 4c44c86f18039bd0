import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { byId, kantataFixture } from './fixtures';
import { kantataErrorBody } from '../sandbox/kantata';
import type { Fault } from '../sandbox/server';

/** Kantata OX Create's Payment Key through the engine: refused before anything is sent, and lost answers found by it. */

const kantata = kantataFixture();

const create = (options: INodeParameters = { skipIfAlreadyRecorded: true }, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	project: byId('101'),
	recordFor: 'amount',
	amount: '={{ $json.amount }}',
	message: '={{ $json.note }}',
	paymentKey: '={{ $json.key }}',
	options,
	...extra,
});

const row = (key: string | number, note = 'Wire', amount = '10.50'): IDataObject => ({ key, note, amount });
const requests = () => kantata.paymentRequests().map((r) => `${r.method}${r.query.created_after ? ' created_after' : ''}`);
const posting = (r: { method: string }) => r.method === 'POST';
const payments = () => kantata.state.sortedBy('id').map((entry) => entry.payment);

describe('Kantata OX Create: a bad Payment Key is refused before anything is sent', () => {
	it.each<[string, IDataObject, string]>([
		['empty, with the option on', row(''), 'Invalid Payment Key in row 3 (item 2): it is empty; Skip If Already Recorded needs a key to tell this payment from the others'],
		[
			'missing, with the option on',
			{ note: 'Wire', amount: '1' },
			'Invalid Payment Key in row 3 (item 2): it is empty; Skip If Already Recorded needs a key to tell this payment from the others',
		],
		['holding a ]', row('BANK]7'), 'Invalid Payment Key in row 3 (item 2): "BANK]7" holds a bracket, [ or ], which the key\'s tag in the message cannot hold'],
		['too long', row('k'.repeat(101)), 'Invalid Payment Key in row 3 (item 2): it has 101 characters; at most 100 are allowed'],
		['a number no longer exact', row(2 ** 60), `Invalid Payment Key in row 3 (item 2): ${2 ** 60} is not an exact whole number; map the key as text`],
		[
			'too long with the message',
			row('BANK-3', 'x'.repeat(240)),
			'Invalid Message and Payment Key in row 3 (item 2): the message with the key\'s tag " [n8n-key:BANK-3]" added has 257 characters; at most 255 are allowed, so shorten the Message or the Payment Key',
		],
	])('%s', async (_name, bad, message) => {
		const items = [row('BANK-1'), row('BANK-2'), bad, row('BANK-4')];

		const { error } = await kantata.run(create(), { items });

		expect(error?.message).toBe(message);
		expect((error as { description?: string } | undefined)?.description).toContain('Nothing was sent for row 3 (item 2).');
		expect(kantata.server.requests).toHaveLength(0);
		expect(kantata.state.countPayments()).toBe(0);
	});

	it('with Continue On Fail, the refused row is output as its error and the others are recorded', async () => {
		const result = await kantata.run(create(), { items: [row('BANK-1'), row('BANK]2'), row('BANK-3')], continueOnFail: true });

		expect(result.items.map((item) => item.json.error ?? item.json.alreadyRecorded)).toEqual([
			false,
			'Invalid Payment Key in row 2 (item 1): "BANK]2" holds a bracket, [ or ], which the key\'s tag in the message cannot hold',
			false,
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(requests()).toEqual(['GET', 'POST', 'POST', 'GET created_after']);
	});

	it('a message of 255 characters with its tag is sent whole', async () => {
		const note = 'é'.repeat(255 - ' [n8n-key:K]'.length);
		const { items, error } = await kantata.run(create(), { items: [row('K', note)] });

		expect(error).toBeUndefined();
		expect([...String(items[0].json.message)]).toHaveLength(255);
		expect(items[0].json.message).toBe(`${note} [n8n-key:K]`);
	});
});

describe('Kantata OX Create: a create whose answer was lost is found again by its Payment Key', () => {
	const lost: Fault = { kind: 'resetAfterHandling' };
	const unavailable: Fault = { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Unavailable' }) };

	it('found: output as recorded now, sent once', async () => {
		kantata.server.injectFaults(posting, lost);

		const { items, error } = await kantata.run(create(), { items: [row('BANK-1')] });

		expect(error).toBeUndefined();
		// The look for the lost create, then the look after the run's creates (overlappingRuns.test.ts).
		expect(requests()).toEqual(['GET', 'POST', 'GET created_after', 'GET created_after']);
		const [payment] = payments();
		expect(items.map((item) => item.json)).toEqual([{ ...payment, alreadyRecorded: false }]);
		expect(payment.message).toBe('Wire [n8n-key:BANK-1]');
		const lookup = kantata.paymentRequests()[2].query;
		expect(lookup).toMatchObject({ workspace_id: '101', order: 'id:asc', page: '1', per_page: '200' });
		expect(Date.now() - Date.parse(lookup.created_after)).toBeGreaterThanOrEqual(10 * 60_000);
	});

	it.each<[string, Fault]>([
		['the connection reset as the request arrived', { kind: 'resetBeforeHandling' }],
		['a 503', unavailable],
	])('not there after %s: nothing was recorded, so the create is sent once more', async (_name, fault) => {
		kantata.server.injectFaults(posting, fault);

		const { items, error } = await kantata.run(create({}), { items: [row('BANK-1')] });

		expect(error).toBeUndefined();
		expect(requests()).toEqual(['POST', 'GET created_after', 'POST']);
		expect(payments()).toHaveLength(1);
		expect(items[0].json).toEqual(payments()[0]);
	});

	it('a payment an earlier item of the run recorded with the same key is not taken for the lost one', async () => {
		kantata.server.injectFaults((r) => posting(r) && kantata.state.countPayments() === 1, lost);

		// With the option off, the same key twice is two payments, as the user asked.
		const { items, error } = await kantata.run(create({}), { items: [row('BANK-1', 'first'), row('BANK-1', 'second')] });

		expect(error).toBeUndefined();
		expect(requests()).toEqual(['POST', 'POST', 'GET created_after']);
		expect(items.map((item) => item.json.message)).toEqual(['first [n8n-key:BANK-1]', 'second [n8n-key:BANK-1]']);
		expect(items.map((item) => item.json.id)).toEqual(payments().map((p) => p.id));
	});

	it('two payments with the key since it was sent: nobody can tell, so the item fails as "may or may not"', async () => {
		kantata.state.addPayment({ workspace_id: '101', message: 'By hand [n8n-key:BANK-1]' });
		kantata.server.injectFaults(posting, lost);

		const { error } = await kantata.run(create({}), { items: [row('BANK-1')] });

		expect(error?.message).toBe('Kantata OX may or may not have recorded this item: the connection was closed before an answer arrived (row 1, item 0)');
		expect(error?.description).toContain(', whose message ends with [n8n-key:BANK-1].');
		expect(requests()).toEqual(['POST', 'GET created_after']);
		expect(payments()).toHaveLength(2);
	});

	it('a lookup that keeps failing: the item fails as "may or may not", and the create is not sent again', async () => {
		kantata.server.injectFaults(posting, lost);
		kantata.server.injectFaults((r) => r.method === 'GET', unavailable, unavailable, unavailable, unavailable);

		const { error } = await kantata.run(create({}), { items: [row('BANK-1')] });

		expect(error?.message).toMatch(/^Kantata OX may or may not have recorded this item: /);
		expect(requests()).toEqual(['POST', 'GET created_after', 'GET created_after', 'GET created_after', 'GET created_after']);
		expect(payments()).toHaveLength(1);
	});

	it('with Continue On Fail, a later row with the key of a row that failed is not sent', async () => {
		kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 1050, message: 'By hand [n8n-key:BANK-1]', created_at: '2020-01-01T00:00:00Z' });
		const refused = kantataErrorBody({ type: 'validation', message: 'Message is invalid', field: 'message' });
		kantata.server.injectFaults(posting, { kind: 'status', status: 422, body: refused });
		const items = [row('BANK-2'), row('BANK-2'), row('BANK-1')];

		const result = await kantata.run(create(), { items, continueOnFail: true });

		expect(result.items[0].json.error).toBe('Kantata OX refused the payment: message: Message is invalid (row 1, item 0)');
		expect(result.items[1].json.error).toBe('The create of row 1 (item 0), with the same Payment Key "BANK-2", failed, so this one was not sent (row 2, item 1)');
		expect(result.items[2].json).toMatchObject({ alreadyRecorded: true, message: 'By hand [n8n-key:BANK-1]' });
		expect(kantata.paymentRequests().filter(posting)).toHaveLength(1);
	});
});
