import { DEFAULT_TOKEN } from '../sandbox/kantata';
import { byId, KANTATA_OAUTH_TOKEN, kantataFixture } from './fixtures';

const kantata = kantataFixture();

const ids = (items: Array<{ json: { id?: unknown } }>) => items.map((item) => String(item.json.id));
/** Seeded payment n has id n and is created one second after n-1; the default order is newest first. */
const newestFirst = (count: number) => Array.from({ length: count }, (_, i) => String(count - i));

describe('Kantata OX Get Many: Return All', () => {
	it.each([
		[0, 1],
		[1, 1],
		[200, 1],
		[201, 2],
		[1001, 6],
	])('returns all %i payments in the API order with %i request(s) of 200', async (count, requests) => {
		kantata.state.seedPayments(count);

		const { items, error } = await kantata.run({ operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(ids(items)).toEqual(newestFirst(count));
		expect(new Set(ids(items)).size).toBe(count);
		const sent = kantata.paymentRequests();
		expect(sent).toHaveLength(requests);
		sent.forEach((request, index) => {
			expect(request.method).toBe('GET');
			expect(request.path).toBe('/api/v1/external_payments.json');
			expect(request.query).toEqual({ page: String(index + 1), per_page: '200' });
			expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		});
		expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('stops at the page count the API states, even when the last page is full', async () => {
		kantata.state.seedPayments(400);
		await kantata.run({ operation: 'getAll', returnAll: true });
		expect(kantata.paymentRequests().map((r) => r.query.page)).toEqual(['1', '2']);
	});

	it('outputs each payment once when a payment is created between two pages', async () => {
		kantata.state.seedPayments(250);
		let created = false;
		const original = kantata.server.handler;
		kantata.server.handler = async (request) => {
			const answer = await original(request);
			if (!created && request.query.page === '1') {
				created = true;
				kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 500 });
			}
			return answer;
		};
		try {
			const { items } = await kantata.run({ operation: 'getAll', returnAll: true });
			// The new payment shifts page 2 by one: its first record repeats page 1's last and is skipped.
			expect(new Set(ids(items)).size).toBe(items.length);
			expect(items).toHaveLength(250);
		} finally {
			kantata.server.handler = original;
		}
	});
});

describe('Kantata OX Get Many: Limit', () => {
	it('asks for exactly the limit when it is below one page', async () => {
		kantata.state.seedPayments(300);

		const { items } = await kantata.run({ operation: 'getAll', returnAll: false, limit: 5 });

		expect(ids(items)).toEqual(newestFirst(300).slice(0, 5));
		const sent = kantata.paymentRequests();
		expect(sent).toHaveLength(1);
		expect(sent[0].query).toEqual({ offset: '0', limit: '5' });
	});

	it('asks for no more than the limit when it spans pages', async () => {
		kantata.state.seedPayments(1001);

		const { items } = await kantata.run({ operation: 'getAll', returnAll: false, limit: 450 });

		expect(ids(items)).toEqual(newestFirst(1001).slice(0, 450));
		expect(kantata.paymentRequests().map((r) => r.query)).toEqual([
			{ offset: '0', limit: '200' },
			{ offset: '200', limit: '200' },
			{ offset: '400', limit: '50' },
		]);
	});

	it('stops at the end of the data when the limit is larger', async () => {
		kantata.state.seedPayments(30);
		const { items } = await kantata.run({ operation: 'getAll', returnAll: false, limit: 50 });
		expect(items).toHaveLength(30);
		expect(kantata.paymentRequests()).toHaveLength(1);
	});

	it('uses the default limit of 50', async () => {
		kantata.state.seedPayments(60);
		const { items } = await kantata.run({ operation: 'getAll' });
		expect(items).toHaveLength(50);
	});
});

describe('Kantata OX Get Many: filters, sort and include', () => {
	beforeEach(() => kantata.state.seedPayments(60));

	it.each([
		['project', { project: byId('102') }, { workspace_id: '102' }, (p: Record<string, unknown>) => p.workspace_id === '102'],
		['invoice', { invoice: byId('1003') }, { invoice_id: '1003' }, (p: Record<string, unknown>) => p.invoice_id === '1003'],
		['user', { userId: '203' }, { user_id: '203' }, (p: Record<string, unknown>) => p.user_id === '203'],
		['IDs', { ids: '3, 7,11' }, { only: '3,7,11' }, (p: Record<string, unknown>) => ['3', '7', '11'].includes(String(p.id))],
		[
			'created after',
			{ createdAfter: '2024-01-01T00:00:49Z' },
			{ created_after: '2024-01-01T00:00:49Z' },
			(p: Record<string, unknown>) => String(p.created_at) > '2024-01-01T00:00:49Z',
		],
		[
			'created before',
			{ createdBefore: '2024-01-01T00:00:05Z' },
			{ created_before: '2024-01-01T00:00:05Z' },
			(p: Record<string, unknown>) => String(p.created_at) < '2024-01-01T00:00:05Z',
		],
		[
			'updated after',
			{ updatedAfter: '2024-01-01T12:00:00Z' },
			{ updated_after: '2024-01-01T12:00:00Z' },
			(p: Record<string, unknown>) => String(p.updated_at) > '2024-01-01T12:00:00Z',
		],
		[
			'updated before',
			{ updatedBefore: '2024-01-01T00:00:10Z' },
			{ updated_before: '2024-01-01T00:00:10Z' },
			(p: Record<string, unknown>) => String(p.updated_at) < '2024-01-01T00:00:10Z',
		],
	])('filters by %s', async (_name, filters, query, matches) => {
		const { items, error } = await kantata.run({ operation: 'getAll', returnAll: true, filters });

		expect(error).toBeUndefined();
		expect(kantata.paymentRequests()[0].query).toEqual({ ...query, page: '1', per_page: '200' });
		expect(items.length).toBeGreaterThan(0);
		expect(items.length).toBeLessThan(60);
		expect(items.every((item) => matches(item.json))).toBe(true);
	});

	it('filters left empty, or mapped from an empty cell, are not set', async () => {
		const filters = {
			project: byId(''),
			invoice: byId('={{ $json.cell }}'),
			userId: '={{ $json.cell }}',
			ids: ' ',
			createdAfter: '',
			updatedBefore: '={{ $json.cell }}',
		};
		const { items, error } = await kantata.run({ operation: 'getAll', returnAll: true, filters }, { items: [{ cell: '' }] });

		expect(error).toBeUndefined();
		expect(kantata.paymentRequests()[0].query).toEqual({ page: '1', per_page: '200' });
		expect(items).toHaveLength(60);
	});

	it('sorts as asked', async () => {
		const { items } = await kantata.run({ operation: 'getAll', returnAll: true, options: { order: 'id:asc' } });
		expect(kantata.paymentRequests()[0].query.order).toBe('id:asc');
		expect(ids(items)).toEqual(newestFirst(60).reverse());
	});

	it('attaches included invoice, user and project to each payment', async () => {
		const { items } = await kantata.run({
			operation: 'getAll',
			returnAll: true,
			filters: { ids: '4' },
			options: { include: ['invoice', 'user', 'workspace'] },
		});

		expect(kantata.paymentRequests()[0].query.include).toBe('invoice,user,workspace');
		expect(items).toHaveLength(1);
		const payment = items[0].json as Record<string, Record<string, unknown>>;
		expect(payment.invoice.id).toBe(payment.invoice_id);
		expect(payment.user.id).toBe(payment.user_id);
		expect(payment.workspace.id).toBe(payment.workspace_id);
		expect(payment.workspace.title).toBeDefined();
	});

	it('attaches null where a payment has no related record', async () => {
		const { items } = await kantata.run({
			operation: 'getAll',
			returnAll: true,
			filters: { ids: '1' },
			options: { include: ['invoice'] },
		});
		expect(items[0].json.invoice_id).toBeNull();
		expect(items[0].json.invoice).toBeNull();
	});

	it('refuses a malformed date before sending anything', async () => {
		const { error } = await kantata.run({ operation: 'getAll', filters: { createdAfter: '2024-02-30' } });
		expect(error?.message).toBe('Invalid Created After in row 1 (item 0): "2024-02-30" is not a real calendar date');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('refuses an ID list holding something that is not an ID', async () => {
		const { error } = await kantata.run({ operation: 'getAll', filters: { ids: '3,../users' } });
		expect(error?.message).toContain('Invalid IDs in row 1 (item 0)');
		expect(kantata.server.requests).toHaveLength(0);
	});

	it('works the same with the OAuth2 credential', async () => {
		const { items } = await kantata.run({ operation: 'getAll', limit: 3 }, { oAuth2: true });
		expect(ids(items)).toEqual(['60', '59', '58']);
		expect(kantata.paymentRequests()[0].headers.authorization).toBe(`Bearer ${KANTATA_OAUTH_TOKEN}`);
	});
});
