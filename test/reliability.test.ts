import type { INodeParameters } from 'n8n-workflow';

import { runNode } from './harness/engine';
import { byId, kantataFixture } from './fixtures';
import { requestsTo } from '../sandbox/server';
import type { Fault } from '../sandbox/server';
import { DEFAULT_TOKEN, kantataErrorBody } from '../sandbox/kantata';

/**
 * The shared request runner under faults, seen through the Kantata OX node: rate limits waited out, transient
 * faults retried for reads and deletes only, creates never sent twice, non-JSON answers named.
 */
const kantata = kantataFixture();

const listing = requestsTo('GET', '/api/v1/external_payments.json');
const creating = requestsTo('POST', '/api/v1/external_payments.json');
const deleting = requestsTo('DELETE', /^\/api\/v1\/external_payments\/\d+\.json$/);
const tooMany = (headers: Record<string, string>): Fault => ({
	kind: 'status',
	status: 429,
	headers,
	body: kantataErrorBody({ type: 'system', message: 'Rate limit exceeded' }),
});
const createAmount: INodeParameters = { operation: 'create', project: byId('101'), recordFor: 'amount', amount: '12.50' };
const gap = (index: number) => kantata.server.requests[index].receivedAt - kantata.server.requests[index - 1].receivedAt;

describe('429: waited out as the API asks, then sent again', () => {
	beforeEach(() => kantata.state.seedPayments(3));

	it.each([
		['Retry-After in seconds', () => ({ 'Retry-After': '1' }), 900],
		// 3 to 4 s ahead (the date has whole seconds): a wait the backoff without a hint (at most 1 s) never reaches.
		['Retry-After as an HTTP date', () => ({ 'Retry-After': new Date(Date.now() + 4000).toUTCString() }), 2500],
		['Retry-After as an epoch timestamp', () => ({ 'Retry-After': String(Math.ceil(Date.now() / 1000) + 1) }), 900],
		['RateLimit-Reset alone', () => ({ 'RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) }), 900],
	])('%s', async (_name, headers, minimumGapMs) => {
		kantata.server.injectFaults(listing, tooMany(headers()));

		const { items, error } = await kantata.run({ operation: 'getAll' });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(kantata.server.requests).toHaveLength(2);
		expect(gap(1)).toBeGreaterThanOrEqual(minimumGapMs);
	});

	it('without any hint, backs off and tries again', async () => {
		kantata.server.injectFaults(listing, tooMany({}), tooMany({}));
		const { items } = await kantata.run({ operation: 'getAll' });
		expect(items).toHaveLength(3);
		expect(kantata.server.requests).toHaveLength(3);
		expect(gap(1)).toBeGreaterThanOrEqual(450);
		expect(gap(2)).toBeGreaterThanOrEqual(900);
	});

	it('a create answered 429 is sent again (the API did not act on it) and recorded once', async () => {
		kantata.server.injectFaults(creating, tooMany({ 'Retry-After': '1' }));
		const { items, error } = await kantata.run(createAmount);
		expect(error).toBeUndefined();
		expect(items[0].json.amount_in_cents).toBe(1250);
		expect(kantata.state.countPayments()).toBe(4);
	});

	it('gives up when the wait would pass the bound, saying it was rate-limited and for how long it waited', async () => {
		const fault = tooMany({ 'Retry-After': '1' });
		kantata.server.injectFaults(listing, fault, fault, fault, fault);
		const { error } = await kantata.run({ operation: 'getAll', requestOptions: { maxRateLimitWait: 3 } });
		expect(error?.message).toBe('Kantata OX rate-limited this request and it gave up after waiting 2.1 s in total (row 1, item 0)');
		expect(error?.description).toContain('answered 429 (too many requests) 3 times');
		expect(error?.description).toContain('Max Rate Limit Wait');
		expect(kantata.server.requests).toHaveLength(3);
	});

	it('after an answer that says the window is used up, waits for the reset before the next request', async () => {
		const items = [{ amount: '1' }, { amount: '2' }];
		let answered = 0;
		const original = kantata.server.handler;
		kantata.server.handler = async (request) => {
			const answer = await original(request);
			answered++;
			return answered === 1
				? { ...answer, headers: { 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) } }
				: answer;
		};
		try {
			const run = await kantata.run({ ...createAmount, amount: '={{ $json.amount }}' }, { items });
			expect(run.items).toHaveLength(2);
			expect(kantata.server.requests).toHaveLength(2);
			expect(gap(1)).toBeGreaterThanOrEqual(500);
		} finally {
			kantata.server.handler = original;
		}
	});
});

describe('transient faults', () => {
	beforeEach(() => kantata.state.seedPayments(3));
	const unavailable: Fault = { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Service Unavailable' }) };
	const badGateway: Fault = {
		kind: 'status',
		status: 502,
		rawBody: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
		headers: { 'content-type': 'text/html' },
	};

	it('a read survives a burst of 502 and 503 answers and a reset connection', async () => {
		kantata.server.injectFaults(listing, badGateway, { kind: 'resetBeforeHandling' }, unavailable);
		const { items, error } = await kantata.run({ operation: 'getAll' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(kantata.server.requests).toHaveLength(4);
	});

	it('a read that keeps failing ends with the error, naming the HTML page it got', async () => {
		kantata.server.injectFaults(listing, badGateway, badGateway, badGateway, badGateway);
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX answered 502 (row 1, item 0)');
		expect(error?.description).toBe('The answer was not JSON: "502 Bad Gateway"');
		expect(kantata.server.requests).toHaveLength(4);
	});

	it('a delete whose answer was lost is retried, and the 404 it then gets counts as done', async () => {
		kantata.server.injectFaults(deleting, { kind: 'resetAfterHandling' });
		const { items, error } = await kantata.run({ operation: 'delete', paymentId: '2' });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ id: '2', deleted: true }]);
		expect(kantata.server.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
		expect(kantata.state.getPayment('2')).toBeUndefined();
	});

	it('a read that times out is retried', async () => {
		kantata.server.injectFaults(listing, { kind: 'delay', ms: 1500 });
		const { items } = await kantata.run({ operation: 'getAll', requestOptions: { timeout: 400 } });
		expect(items).toHaveLength(3);
		expect(kantata.server.requests).toHaveLength(2);
	});

	it('refused connections are retried, then named', async () => {
		const { server } = await import('../sandbox/kantata').then(({ createKantataApi }) => createKantataApi());
		await server.start();
		const closedUrl = server.url;
		await server.stop();
		const run = await runNode({
			type: 'kantataOx',
			parameters: { operation: 'getAll' },
			credentials: { kantataOxApi: { accessToken: DEFAULT_TOKEN, baseUrl: closedUrl } },
		});
		expect(run.error?.message).toBe('Kantata OX could not be reached: the connection was refused (row 1, item 0)');
		expect(run.error?.description).toBe('Tried 4 times.');
	});
});

describe('a create is never sent twice after the API may have acted on it', () => {
	it.each<[string, Fault, boolean]>([
		['the connection reset after the request was read', { kind: 'resetAfterHandling' }, true],
		['the connection reset as the request arrived', { kind: 'resetBeforeHandling' }, false],
		['a 503', { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Unavailable' }) }, false],
		['a 500', { kind: 'status', status: 500, body: kantataErrorBody({ type: 'system', message: 'Internal error' }) }, false],
		['an HTML page with status 200', { kind: 'status', status: 200, rawBody: '<html><title>Proxy</title></html>' }, false],
	])('%s: the item fails saying it may or may not be recorded, and how to check', async (_name, fault, recorded) => {
		kantata.server.injectFaults(creating, fault);

		const { error } = await kantata.run(createAmount);

		expect(error?.message).toMatch(/^Kantata OX may or may not have recorded this item: /);
		expect(error?.description).toContain('so it was not sent again');
		expect(error?.description).toContain('Get Many filtered by project 101 and Created After');
		expect(kantata.server.requests).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(recorded ? 1 : 0);
	});

	it('a create that times out is not sent again, though the API recorded it', async () => {
		kantata.server.injectFaults(creating, { kind: 'delay', ms: 1500 });
		const { error } = await kantata.run({ ...createAmount, requestOptions: { timeout: 400 } });
		expect(error?.message).toBe('Kantata OX may or may not have recorded this item: no answer came within the timeout (row 1, item 0)');
		expect(kantata.server.requests).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(1);
	});
});

describe('answers that are not JSON become clear errors', () => {
	it('an empty 200 to a read', async () => {
		kantata.server.injectFaults(listing, { kind: 'status', status: 200, rawBody: '' });
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe('Kantata OX gave an answer that is not JSON: it answered 200 with an empty body instead of JSON (row 1, item 0)');
	});

	it('an HTML page with status 200 to a read', async () => {
		kantata.server.injectFaults(listing, {
			kind: 'status',
			status: 200,
			rawBody: '<!DOCTYPE html><html><head><title>Sign in to continue</title></head></html>',
			headers: { 'content-type': 'text/html' },
		});
		const { error } = await kantata.run({ operation: 'getAll' });
		expect(error?.message).toBe(
			'Kantata OX gave an answer that is not JSON: it answered 200 with a body that is not JSON ("Sign in to continue") (row 1, item 0)',
		);
	});
});

describe('the engine handing the node fewer items than it lists', () => {
	// Found by running the package in a real n8n (npm run smoke): Execute Once used to wait forever.
	it('Execute Once: runs for the first item only, and finishes', async () => {
		kantata.state.seedPayments(3);
		const { items, error } = await kantata.run({ operation: 'getAll' }, { items: [{}, {}, {}], executeOnce: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(kantata.server.requests).toHaveLength(1);
	});

	it('Execute Once with a create: one payment, not three', async () => {
		const { items } = await kantata.run(createAmount, { items: [{}, {}, {}], executeOnce: true });
		expect(items).toHaveLength(1);
		expect(kantata.state.countPayments()).toBe(1);
	});
});

describe('one credential read per run', () => {
	// n8n loads a credential from its database and decrypts it on every read; RoutingNode reads it once per run.
	it('does not read the credential again for every item', async () => {
		const reads = async (count: number) => {
			const { credentials, items } = await kantata.run(createAmount, { items: Array.from({ length: count }, () => ({})) });
			expect(items).toHaveLength(count);
			return credentials.reads.kantataOxApi;
		};
		expect(await reads(12)).toBe(await reads(2));
	});
});

describe('bad rows in a batch of 50', () => {
	// Rows 4, 9, 14, ... have a bad amount (10 of 50).
	const rows = Array.from({ length: 50 }, (_, i) => ({ amount: i % 5 === 4 ? `${i}.123` : `${i + 1}.25` }));
	const parameters = { ...createAmount, amount: '={{ $json.amount }}' };

	it('with Continue On Fail: 50 outputs, 40 payments and 10 errors, each paired to its input', async () => {
		const run = await kantata.run(parameters, { items: rows, continueOnFail: true });

		expect(run.items).toHaveLength(50);
		run.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			if (index % 5 === 4) expect(item.json.error).toMatch(new RegExp(`^Invalid Amount in row ${index + 1} \\(item ${index}\\): `));
			else expect(item.json.amount_in_cents).toBe((index + 1) * 100 + 25);
		});
		expect(kantata.state.countPayments()).toBe(40);
		// Sent in input order, one at a time.
		const sentCents = kantata.server.requests.map((r) => (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents);
		expect(sentCents).toEqual(rows.flatMap((_, i) => (i % 5 === 4 ? [] : [(i + 1) * 100 + 25])));
	});

	it('without it: the first bad row stops the run before anything is sent', async () => {
		const run = await kantata.run(parameters, { items: rows });
		expect(run.error?.message).toMatch(/^Invalid Amount in row 5 \(item 4\): /);
		expect(kantata.server.requests).toHaveLength(0);
	});
});
