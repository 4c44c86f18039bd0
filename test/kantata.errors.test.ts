import { requestsTo } from '../sandbox/server';
import { DEFAULT_TOKEN, kantataErrorBody } from '../sandbox/kantata';
import { byId, kantataFixture } from './fixtures';

const kantata = kantataFixture();

const listing = requestsTo('GET', '/api/v1/external_payments.json');

describe('Kantata OX errors become NodeApiErrors in Kantata words', () => {
	it('400: the API message', async () => {
		kantata.server.injectFaults(listing, {
			kind: 'status',
			status: 400,
			body: kantataErrorBody({ type: 'system', message: 'Invalid order parameter' }),
		});
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Kantata OX answered 400: Invalid order parameter (row 1, item 0)');
		expect((error as { httpCode?: string }).httpCode).toBe('400');
	});

	it('401: the credential is rejected', async () => {
		const run = await import('./harness/engine').then(({ runNode }) =>
			runNode({
				type: 'kantataOx',
				parameters: { operation: 'getAll' },
				credentials: { kantataOxApi: { accessToken: 'revoked-token', baseUrl: kantata.server.url } },
			}),
		);
		expect(run.error?.message).toBe('Kantata OX rejected the credential: Invalid OAuth 2 Request (row 1, item 0)');
		expect(run.error?.description).toBe('Check the access token in the credential, or reconnect the OAuth2 credential.');
	});

	it('403: access refused', async () => {
		kantata.server.injectFaults(listing, {
			kind: 'status',
			status: 403,
			body: kantataErrorBody({ type: 'system', message: 'You do not have access to this project' }),
		});
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX refused access: You do not have access to this project (row 1, item 0)');
	});

	it('404: names the ID not found', async () => {
		const { error } = await kantata.run({ operation: 'get', paymentId: '999' });
		expect(error?.message).toBe('Kantata OX has no external payment with ID 999 (row 1, item 0)');
		expect(error?.description).toBe('Row 1 (item 0): payment "999". Couldn\'t find ExternalPayment with \'id\'=999');
	});

	it('422: says which field and why', async () => {
		const { error } = await kantata.run({
			operation: 'create',
			project: byId('101'),
			recordFor: 'invoice',
			invoice: byId('1002'),
		});
		expect(error?.message).toMatch(/^Kantata OX refused the payment: invoice_id: /);
		expect(kantata.state.countPayments()).toBe(0);
	});

	it('503 on a read: retried, then answered', async () => {
		kantata.state.seedPayments(3);
		kantata.server.injectFaults(listing, { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }) });
		const { items, error } = await kantata.run({ operation: 'getAll' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(kantata.paymentRequests()).toHaveLength(2);
	});

	it('503 that persists: the read fails after 4 tries with the API message', async () => {
		const fault = { kind: 'status' as const, status: 503, body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }) };
		kantata.server.injectFaults(listing, fault, fault, fault, fault);
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX answered 503: Down for maintenance (row 1, item 0)');
		expect(kantata.paymentRequests()).toHaveLength(4);
	});
});

describe('Kantata OX with Continue On Fail', () => {
	const createFor = { operation: 'create', project: byId('101'), recordFor: 'invoice', invoice: byId('={{ $json.invoice }}') };

	it('gives one output per input, the failed one an error paired to its input, and goes on', async () => {
		// 1001 pending: ok; 1002 draft: refused by the API; 1004 belongs to another project: refused; x: bad input.
		const items = [{ invoice: '1001' }, { invoice: '1002' }, { invoice: 'x' }, { invoice: '1004' }];

		const run = await kantata.run(createFor, { items, continueOnFail: true });

		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.items[0].json).toMatchObject({ invoice_id: '1001', amount_in_cents: 125000 });
		expect(run.items[1].json.error).toMatch(/^Kantata OX refused the payment: invoice_id: /);
		expect(run.items[2].json.error).toBe('Invalid Invoice in row 3 (item 2): "x" is not an ID: IDs are whole numbers written with digits only');
		expect(run.items[3].json.error).toMatch(/^Kantata OX refused the payment: invoice_id: /);
		expect(kantata.paymentRequests().map((r) => (r.body as { external_payment: { invoice_id: string } }).external_payment.invoice_id)).toEqual([
			'1001',
			'1002',
			'1004',
		]);
		expect(kantata.state.countPayments()).toBe(1);
	});

	it('without it, sends items in order and stops at the first failure', async () => {
		const items = [{ invoice: '1001' }, { invoice: '1002' }, { invoice: '1004' }];
		const run = await kantata.run(createFor, { items });
		expect(run.error?.message).toMatch(/^Kantata OX refused the payment: invoice_id: /);
		expect(kantata.paymentRequests()).toHaveLength(2);
		expect(kantata.state.countPayments()).toBe(1);
	});
});

describe('Kantata OX keeps the token secret', () => {
	it('removes the token from an error that echoes the request', async () => {
		kantata.server.injectFaults(listing, {
			kind: 'status',
			status: 422,
			body: kantataErrorBody({ type: 'validation', message: `Header Authorization: Bearer ${DEFAULT_TOKEN} is malformed`, field: 'auth' }),
		});
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX refused the payment: auth: Header Authorization: Bearer [redacted] is malformed (row 1, item 0)');
		expect(JSON.stringify(error)).not.toContain(DEFAULT_TOKEN);
		expect(JSON.stringify(error?.description ?? '')).not.toContain(DEFAULT_TOKEN);
	});

	it('keeps it out of error items and of the whole run data', async () => {
		kantata.server.injectFaults(listing, {
			kind: 'status',
			status: 500,
			body: { echo: { headers: { authorization: `Bearer ${DEFAULT_TOKEN}` } }, errors: [{ type: 'system', message: DEFAULT_TOKEN }] },
		});
		const run = await kantata.run({ operation: 'getAll' }, { continueOnFail: true });
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.error).toBeDefined();
		expect(JSON.stringify(run.run.data)).not.toContain(DEFAULT_TOKEN);
	});
});
