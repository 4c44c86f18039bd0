import type { INodeParameters } from 'n8n-workflow';

import { testCredential } from './harness/editor';
import { byId, KANTATA_OAUTH_TOKEN, kantataFixture } from './fixtures';
import { DEFAULT_TOKEN } from '../sandbox/kantata';

const kantata = kantataFixture();

const createForAmount = (amount: string | number, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	project: byId('101'),
	recordFor: 'amount',
	amount,
	...extra,
});

describe.each([
	['access token', false, DEFAULT_TOKEN],
	['OAuth2', true, KANTATA_OAUTH_TOKEN],
])('Kantata OX operations with the %s credential', (_name, oAuth2, token) => {
	it('gets one payment by ID, with included records', async () => {
		kantata.state.seedPayments(8);

		const { items, error } = await kantata.run(
			{ operation: 'get', paymentId: '8', options: { include: ['invoice', 'workspace'] } },
			{ oAuth2 },
		);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: '8', workspace_id: kantata.state.getPayment('8')!.workspace_id });
		expect(items[0].json.workspace).toMatchObject({ id: items[0].json.workspace_id });
		const [request] = kantata.paymentRequests();
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/api/v1/external_payments/8.json');
		expect(request.query).toEqual({ include: 'invoice,workspace' });
		expect(request.headers.authorization).toBe(`Bearer ${token}`);
	});

	it('creates a payment for an invoice, which takes the invoice amount', async () => {
		const { items, error } = await kantata.run(
			{ operation: 'create', project: byId('101'), recordFor: 'invoice', invoice: byId('1001'), message: 'Wire 4471' },
			{ oAuth2 },
		);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ workspace_id: '101', invoice_id: '1001', amount_in_cents: 125000, message: 'Wire 4471' });
		const [request] = kantata.paymentRequests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/v1/external_payments.json');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers.authorization).toBe(`Bearer ${token}`);
		expect(request.body).toEqual({ external_payment: { workspace_id: '101', invoice_id: '1001', message: 'Wire 4471' } });
		expect(kantata.state.countPayments()).toBe(1);
	});

	it('creates a payment for an amount, sent as exact cents', async () => {
		const { items } = await kantata.run(createForAmount('1050.25'), { oAuth2 });

		expect(items[0].json).toMatchObject({ workspace_id: '101', amount_in_cents: 105025, invoice_id: null });
		expect(kantata.paymentRequests()[0].rawBody).toBe('{"external_payment":{"workspace_id":"101","amount_in_cents":105025}}');
	});

	it('deletes a payment and says so', async () => {
		kantata.state.seedPayments(3);

		const { items } = await kantata.run({ operation: 'delete', paymentId: '2' }, { oAuth2 });

		expect(items.map((item) => item.json)).toEqual([{ id: '2', deleted: true }]);
		const [request] = kantata.paymentRequests();
		expect(request.method).toBe('DELETE');
		expect(request.path).toBe('/api/v1/external_payments/2.json');
		expect(kantata.state.getPayment('2')).toBeUndefined();
		expect(kantata.state.countPayments()).toBe(2);
	});
});

describe('Kantata OX Create: amounts', () => {
	it.each([
		['1050.25', 105025],
		[1050.25, 105025],
		['1050,25', 105025],
		[' 12 ', 1200],
		['0.1', 10],
		['0.10', 10],
		[0.07, 7],
		['1050.2500', 105025],
		['999999999.99', 99999999999],
		[19.99, 1999],
	])('reads %p as %i cents', async (amount, cents) => {
		const { items, error } = await kantata.run(createForAmount(amount));
		expect(error).toBeUndefined();
		expect(items[0].json.amount_in_cents).toBe(cents);
		expect((kantata.paymentRequests()[0].body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents).toBe(cents);
	});

	it.each([
		['10.255', '"10.255" could be 10255.00 or 10.255'],
		['10.2555', 'has more decimals than cents'],
		['1050.250', 'has three digits after "."'],
		[0.1 + 0.2, 'has more decimals than cents'],
		['1,234', '"1,234" could be 1234.00 or 1.234, so Auto does not read it'],
		['1.234,50', 'has more than one separator'],
		['abc', 'is not an amount'],
		['={{ "" }}', 'the amount is empty'],
		['0', '"0" is zero; a payment of zero records nothing'],
		['-5', 'is below the lowest allowed amount'],
		['1e3', 'is not an amount'],
		['€ 10', 'is not an amount'],
		['1000000000.01', 'is above the highest allowed amount'],
	])('refuses %p before sending anything', async (amount, reason) => {
		const { error, items } = await kantata.run(createForAmount(amount));
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^Invalid Amount in row 1 \(item 0\): /);
		expect(error?.message).toContain(reason);
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('reads thousands separators when the Amount Format says where they are', async () => {
		const { items } = await kantata.run(createForAmount('1,234.50', { options: { amountFormat: 'pointDecimal' } }));
		expect(items[0].json.amount_in_cents).toBe(123450);
		const dutch = await kantata.run(createForAmount('1.234,50', { options: { amountFormat: 'commaDecimal' } }));
		expect(dutch.items[0].json.amount_in_cents).toBe(123450);
	});
});

describe('Kantata OX: input refused before any request', () => {
	it.each([
		['empty', '={{ "" }}'],
		['whitespace', '   '],
		['non-numeric', 'abc'],
		['a path', '7/../../users'],
		['a query', '7?x=1'],
		['a fragment', '7#x'],
		['an escaped slash', '7%2F8'],
		['dots', '..'],
		['zero', '0'],
		['negative', '-7'],
		['too long', '1234567890123456'],
	])('refuses a payment ID that is %s', async (_name, paymentId) => {
		const { error } = await kantata.run({ operation: 'delete', paymentId });
		expect(error?.message).toMatch(/^Invalid Payment ID in row 1 \(item 0\): /);
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('refuses a message over 255 characters, naming its length', async () => {
		const { error } = await kantata.run(createForAmount('10', { message: 'x'.repeat(256) }));
		expect(error?.message).toBe('Invalid Message in row 1 (item 0): it has 256 characters; at most 255 are allowed');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('accepts a message of exactly 255 characters, counted as a person counts them', async () => {
		const message = 'é'.repeat(254) + '€';
		const { items, error } = await kantata.run(createForAmount('10', { message }));
		expect(error).toBeUndefined();
		expect(items[0].json.message).toBe(message);
	});

	// n8n itself will not run a node whose required parameter is empty; empty values arrive from mapped data.
	it('refuses a create with neither invoice nor amount', async () => {
		const items = [{ invoice: '', amount: null }];
		const forInvoice = await kantata.run(
			{ operation: 'create', project: byId('101'), recordFor: 'invoice', invoice: byId('={{ $json.invoice }}') },
			{ items },
		);
		expect(forInvoice.error?.message).toBe('Invalid Invoice in row 1 (item 0): the ID is empty');
		const forAmount = await kantata.run(createForAmount('={{ $json.amount }}'), { items });
		expect(forAmount.error?.message).toBe('Invalid Amount in row 1 (item 0): expected an amount as a number or text, got null');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('names the item: a bad third row stops the run before any row is sent', async () => {
		const items = [{ amount: '10' }, { amount: '20' }, { amount: '30.001' }, { amount: '40' }];
		const { error } = await kantata.run(createForAmount('={{ $json.amount }}'), { items });
		expect(error?.message).toBe(
			'Invalid Amount in row 3 (item 2): "30.001" could be 30001.00 or 30.001, so Auto does not read it: if "." separates' +
				' thousands choose the Amount Format "Comma Decimal (1.234,50)", or if it separates decimals round the amount to cents',
		);
		expect(kantata.server.requests).toHaveLength(0);
		expect(kantata.state.countPayments()).toBe(0);
	});
});

describe('Kantata OX credentials', () => {
	it.each(['kantataOxApi', 'kantataOxOAuth2Api'])('%s test tells a right token from a wrong one', async (type) => {
		const right =
			type === 'kantataOxApi'
				? kantata.credentials.token().kantataOxApi
				: kantata.credentials.oAuth2().kantataOxOAuth2Api;
		const wrong =
			type === 'kantataOxApi'
				? { ...right, accessToken: 'not-a-token' }
				: { ...right, oauthTokenData: { access_token: 'not-a-token', token_type: 'bearer' } };

		expect(await testCredential(type, right)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const refused = await testCredential(type, wrong);
		expect(refused.status).toBe('Error');
		const test = kantata.server.requests.find((r) => r.path === '/api/v1/users/me.json');
		expect(test?.method).toBe('GET');
	});

	it('the credential test sends no token to a base URL that is not https', async () => {
		const result = await testCredential('kantataOxApi', { accessToken: DEFAULT_TOKEN, baseUrl: 'http://example.com/api/v1' });
		expect(result.status).toBe('Error');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('the node refuses a base URL that is not https', async () => {
		const { error } = await kantata.run({ operation: 'getAll' }, {});
		expect(error).toBeUndefined();
		const run = await import('./harness/engine').then(({ runNode }) =>
			runNode({
				type: 'kantataOx',
				parameters: { operation: 'getAll' },
				credentials: { kantataOxApi: { accessToken: DEFAULT_TOKEN, baseUrl: 'http://api.mavenlink.com/api/v1' } },
			}),
		);
		expect(run.error?.message).toBe("The Kantata OX credential's Base URL must start with https:// (http:// only for localhost) (row 1, item 0)");
	});
});
