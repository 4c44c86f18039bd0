/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- dev-only code, never shipped (README, Releasing) */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { advance, queryAfter } from '../nodes/KantataOxTrigger/watermark';
import { requestsTo } from '../sandbox/server';
import { DEFAULT_TOKEN, isoSeconds, kantataErrorBody } from '../sandbox/kantata';
import type { ExternalPayment } from '../sandbox/kantata';
import { byId, KANTATA_OAUTH_TOKEN, kantataFixture } from './fixtures';
import { poller } from './harness/poll';

const kantata = kantataFixture();
const listing = requestsTo('GET', '/api/v1/external_payments.json');

/** The fake API's clock, which stamps created_at and updated_at: whole seconds are what matter. */
const START = Date.parse('2025-03-01T10:00:00Z');
let clock = START;
const at = (secondsAfterStart: number, ms = 0) => {
	clock = START + secondsAfterStart * 1000 + ms;
};
const stamp = (secondsAfterStart: number) => isoSeconds(START + secondsAfterStart * 1000);

beforeEach(() => {
	at(0);
	kantata.state.now = () => new Date(clock);
});

async function trigger(parameters: INodeParameters = {}, options: { oAuth2?: boolean } = {}) {
	return await poller({
		type: 'kantataOxTrigger',
		parameters: { authentication: options.oAuth2 ? 'oAuth2' : 'accessToken', ...parameters },
		credentials: options.oAuth2 ? kantata.credentials.oAuth2() : kantata.credentials.token(),
	});
}

/** Records `count` payments at the fake clock's current time; returns their IDs. */
function pay(count = 1, payment: Partial<ExternalPayment> = {}): string[] {
	return Array.from({ length: count }, () => kantata.state.addPayment({ workspace_id: '101', ...payment }).id);
}

/** A payment changed now: same ID, new amount, `updated_at` from the fake clock. */
function update(id: string, amount: number): void {
	const payment = kantata.state.getPayment(id)!;
	kantata.state.addPayment({ ...payment, amount_in_cents: amount, updated_at: isoSeconds(clock) });
}

const ids = (output: INodeExecutionData[][] | null) => (output?.[0] ?? []).map((item) => item.json.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** Payment requests since the last call, as their query parameters. */
function sentQueries(): Array<Record<string, string>> {
	const queries = kantata.paymentRequests().map((request) => request.query);
	kantata.server.resetLog();
	return queries;
}

describe('Kantata OX Trigger: first activation', () => {
	it('emits nothing and starts after the latest payments, every ID of their second kept', async () => {
		at(-5);
		pay(2);
		at(0);
		pay(3);
		const node = await trigger();

		expect(await node.poll()).toBeNull();

		expect(sentQueries()).toEqual([{ order: 'created_at:desc', page: '1', per_page: '200' }]);
		const { created, updated } = node.staticData() as { created: IDataObject; updated?: IDataObject };
		expect(created.at).toBe(stamp(0));
		expect([...(created.ids as string[])].sort()).toEqual(['3', '4', '5']);
		expect(updated).toBeUndefined();

		// Nothing that existed at activation comes out later, not even the payments of the watermark's second.
		expect(await node.poll()).toBeNull();
		expect(sentQueries()).toEqual([
			{ created_after: stamp(-1), order: 'created_at:asc', page: '1', per_page: '200' },
		]);
	});

	it('with no payment at all, emits every payment recorded after it', async () => {
		const node = await trigger();
		expect(await node.poll()).toBeNull();
		expect(node.staticData()).toEqual({ created: { ids: [] } });

		at(3);
		pay(2);
		kantata.server.resetLog();
		expect(ids(await node.poll())).toEqual(['1', '2']);
		expect(sentQueries()).toEqual([{ order: 'created_at:asc', page: '1', per_page: '200' }]);
		expect(node.staticData()).toEqual({ created: { at: stamp(3), ids: ['1', '2'] } });
	});
});

describe('Kantata OX Trigger: new payments', () => {
	it('emits every payment exactly once and in order, in the watermark second, later seconds and across pages', async () => {
		at(-10);
		pay(2); // 1, 2: before activation
		at(0);
		pay(1); // 3: before activation, in the second that becomes the watermark
		const node = await trigger();
		expect(await node.poll()).toBeNull();
		sentQueries();
		const emitted: unknown[] = [];
		const poll = async () => {
			const output = await node.poll();
			emitted.push(...ids(output));
			return output;
		};

		// Still the watermark's second: created_after is exclusive, so the poll asks from one second earlier.
		at(0, 400);
		pay(2); // 4, 5
		expect(ids(await poll())).toEqual(['4', '5']);
		expect(sentQueries()).toEqual([{ created_after: stamp(-1), order: 'created_at:asc', page: '1', per_page: '200' }]);

		at(0, 900);
		pay(1); // 6: the same second once more
		expect(ids(await poll())).toEqual(['6']);
		expect(node.staticData()).toEqual({ created: { at: stamp(0), ids: ['3', '4', '5', '6'] } });

		expect(await poll()).toBeNull();
		sentQueries();

		at(1);
		pay(2); // 7, 8
		expect(ids(await poll())).toEqual(['7', '8']);
		expect(sentQueries()).toEqual([{ created_after: stamp(-1), order: 'created_at:asc', page: '1', per_page: '200' }]);
		expect(node.staticData()).toEqual({ created: { at: stamp(1), ids: ['7', '8'] } });

		pay(1); // 9: second 1 again
		at(2);
		pay(1); // 10
		expect(ids(await poll())).toEqual(['9', '10']);
		expect(sentQueries()).toEqual([{ created_after: stamp(0), order: 'created_at:asc', page: '1', per_page: '200' }]);

		// 450 at once: 150 in the watermark's second, 300 in the two seconds after. Three pages of 200.
		pay(150); // 11..160
		at(3);
		pay(150); // 161..310
		at(4);
		pay(150); // 311..460
		expect(ids(await poll())).toEqual(range(11, 460));
		expect(sentQueries()).toEqual(
			['1', '2', '3'].map((page) => ({ created_after: stamp(1), order: 'created_at:asc', page, per_page: '200' })),
		);
		expect(node.staticData()).toEqual({ created: { at: stamp(4), ids: range(311, 460) } });

		at(4, 500);
		pay(1); // 461
		expect(ids(await poll())).toEqual(['461']);

		expect(emitted).toEqual(range(4, 461));
	});

	it('emits a payment recorded while it pages, once', async () => {
		const node = await trigger();
		await node.poll();
		at(1);
		pay(250);
		const original = kantata.server.handler;
		kantata.server.handler = async (request) => {
			const answer = await original(request);
			if (request.query.page === '1') {
				at(1, 500);
				pay(1); // 251, in the last second of the poll
			}
			return answer;
		};
		try {
			expect(ids(await node.poll())).toEqual(range(1, 251));
		} finally {
			kantata.server.handler = original;
		}
		expect(await node.poll()).toBeNull();
	});

	it('outputs the payments as the API gives them, IDs as strings', async () => {
		const node = await trigger();
		await node.poll();
		at(7);
		pay(1, { workspace_id: '102', amount_in_cents: 1050, message: 'Bank transfer' });
		const output = await node.poll();
		expect(output?.[0][0].json).toEqual({
			id: '1',
			amount_in_cents: 1050,
			message: 'Bank transfer',
			invoice_id: null,
			user_id: '201',
			workspace_id: '102',
			created_at: stamp(7),
			updated_at: stamp(7),
		});
	});

	it('uses the OAuth2 credential when Authentication says so', async () => {
		const node = await trigger({}, { oAuth2: true });
		await node.poll();
		at(1);
		pay(1);
		expect(ids(await node.poll())).toEqual(['1']);
		expect(kantata.paymentRequests().map((request) => request.headers.authorization)).toEqual([
			`Bearer ${KANTATA_OAUTH_TOKEN}`,
			`Bearer ${KANTATA_OAUTH_TOKEN}`,
		]);
	});
});

describe('Kantata OX Trigger: Also Updated Payments', () => {
	it('on: emits each update once, after the new payments, and a new payment once even when it changed', async () => {
		pay(3); // 1..3 at second 0
		const node = await trigger({ options: { alsoUpdated: true } });
		expect(await node.poll()).toBeNull();
		expect(sentQueries()).toEqual([
			{ order: 'created_at:desc', page: '1', per_page: '200' },
			{ order: 'updated_at:desc', page: '1', per_page: '200' },
		]);
		expect(node.staticData()).toMatchObject({ created: { at: stamp(0) }, updated: { at: stamp(0) } });

		at(1);
		update('2', 2000);
		pay(1); // 4, new
		const first = await node.poll();
		expect(ids(first)).toEqual(['4', '2']);
		expect(first?.[0][1].json).toMatchObject({ id: '2', amount_in_cents: 2000, updated_at: stamp(1) });
		expect(sentQueries()).toEqual([
			{ created_after: stamp(-1), order: 'created_at:asc', page: '1', per_page: '200' },
			{ updated_after: stamp(-1), order: 'updated_at:asc', page: '1', per_page: '200' },
		]);

		// Nothing changed: nothing again.
		expect(await node.poll()).toBeNull();

		// Another update of the same payment in a later second is another event.
		at(2);
		update('2', 2500);
		update('1', 1500);
		// Oldest change first; the API orders changes of the same second by ID.
		expect(ids(await node.poll())).toEqual(['1', '2']);

		// Created and changed between two polls: one item, as it stands now.
		at(3);
		const [created] = pay(1); // 5
		at(4);
		update(created, 999);
		const output = await node.poll();
		expect(ids(output)).toEqual(['5']);
		expect(output?.[0][0].json.amount_in_cents).toBe(999);
		expect(await node.poll()).toBeNull();
	});

	it('on: an update in the watermark second is emitted, one already emitted is not', async () => {
		pay(2);
		const node = await trigger({ options: { alsoUpdated: true } });
		await node.poll();
		at(5);
		update('1', 111);
		expect(ids(await node.poll())).toEqual(['1']);
		at(5, 600);
		update('2', 222); // same second as the update just emitted
		expect(ids(await node.poll())).toEqual(['2']);
		expect(await node.poll()).toBeNull();
	});

	it('off: updates are not emitted and no update watermark is kept', async () => {
		pay(2);
		const node = await trigger();
		await node.poll();
		at(1);
		update('1', 5000);
		expect(await node.poll()).toBeNull();
		expect(node.staticData().updated).toBeUndefined();
		expect(kantata.paymentRequests().every((request) => request.query.updated_after === undefined)).toBe(true);
	});

	it('switched on later: counts updates from then on, and still emits the new payments', async () => {
		pay(2);
		const node = await trigger();
		await node.poll();
		at(1);
		update('1', 5000); // while off
		pay(1); // 3
		node.node.parameters.options = { alsoUpdated: true };
		expect(ids(await node.poll())).toEqual(['3']);
		at(2);
		update('2', 7000);
		expect(ids(await node.poll())).toEqual(['2']);
		// Switched off again: the update watermark goes, so switching on later counts from then once more.
		node.node.parameters.options = {};
		await node.poll();
		expect(node.staticData().updated).toBeUndefined();
	});
});

describe('Kantata OX Trigger: filters', () => {
	it.each([
		['project', { project: byId('102') }, { workspace_id: '102' }],
		['invoice', { invoice: byId('1004') }, { invoice_id: '1004' }],
		[
			'project by URL and invoice',
			{ project: { __rl: true, mode: 'url', value: 'https://app.mavenlink.com/workspaces/102' }, invoice: byId('1004') },
			{ workspace_id: '102', invoice_id: '1004' },
		],
	])('%s: sent as query parameters on every request', async (_name, filters, query) => {
		const node = await trigger({ filters, options: { alsoUpdated: true } });
		await node.poll();
		at(1);
		pay(1, { workspace_id: '101' }); // 1
		pay(1, { workspace_id: '102', invoice_id: '1004' }); // 2
		pay(1, { workspace_id: '102' }); // 3
		const expected = 'invoice_id' in query ? ['2'] : ['2', '3'];
		expect(ids(await node.poll())).toEqual(expected);
		expect(ids(await node.poll('manual'))).toEqual([expected[expected.length - 1]]);
		const queries = sentQueries();
		expect(queries).toHaveLength(5);
		for (const sent of queries) expect(sent).toMatchObject(query);
	});

	it('refuses a filter that is not an ID, before sending anything', async () => {
		const node = await trigger({ filters: { project: byId('12a') } });
		await expect(node.poll()).rejects.toThrow('Invalid Project filter: "12a" is not an ID');
		expect(kantata.paymentRequests()).toHaveLength(0);
	});
});

describe('Kantata OX Trigger: manual test run', () => {
	it('returns the latest payment and leaves the watermark where it is', async () => {
		pay(2);
		const node = await trigger();
		await node.poll();
		const before = node.staticData();
		at(1);
		pay(3); // 3..5
		sentQueries();

		const output = await node.poll('manual');

		expect(ids(output)).toEqual(['5']);
		expect(sentQueries()).toEqual([{ order: 'created_at:desc', limit: '1' }]);
		expect(node.staticData()).toEqual(before);
		expect(ids(await node.poll())).toEqual(['3', '4', '5']);
	});

	it('before activation: keeps no state; with no payment: returns nothing', async () => {
		const node = await trigger();
		expect(await node.poll('manual')).toBeNull();
		pay(1);
		expect(ids(await node.poll('manual'))).toEqual(['1']);
		expect(node.staticData()).toEqual({});
	});
});

describe('Kantata OX Trigger: errors', () => {
	type NodeError = Error & { description?: string; httpCode?: string };
	const pollError = async (node: { poll: () => Promise<unknown> }): Promise<NodeError> =>
		await node.poll().then(
			() => {
				throw new Error('the poll was expected to fail');
			},
			(thrown: unknown) => thrown as NodeError,
		);

	it('401: an error in Kantata words, the watermark kept, the next poll emits what was missed', async () => {
		const node = await trigger();
		await node.poll();
		const before = node.staticData();
		at(1);
		pay(2);
		const refused = {
			kind: 'status' as const,
			status: 401,
			body: kantataErrorBody({ type: 'oauth', message: 'Invalid OAuth 2 Request' }),
		};
		// n8n-core sends a request refused with 401 once more (after its pre-authentication step).
		kantata.server.injectFaults(listing, refused, refused);

		const error = await pollError(node);

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Kantata OX rejected the credential: Invalid OAuth 2 Request');
		expect(error?.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain(DEFAULT_TOKEN);
		expect(node.staticData()).toEqual(before);
		expect(ids(await node.poll())).toEqual(['1', '2']);
	});

	it('503 on a later page: nothing emitted, nothing moved; the next poll emits every page once', async () => {
		const node = await trigger();
		await node.poll();
		at(1);
		pay(300);
		const before = node.staticData();
		kantata.server.injectFaults((request) => listing(request) && request.query.page === '2', {
			kind: 'status',
			status: 503,
			body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }),
		});

		await expect(node.poll()).rejects.toThrow('Kantata OX answered 503: Down for maintenance');
		expect(node.staticData()).toEqual(before);

		expect(ids(await node.poll())).toEqual(range(1, 300));
		expect(await node.poll()).toBeNull();
	});

	it('a failed update request moves neither watermark', async () => {
		const node = await trigger({ options: { alsoUpdated: true } });
		await node.poll();
		at(1);
		pay(1);
		const before = node.staticData();
		kantata.server.injectFaults((request) => listing(request) && request.query.order === 'updated_at:asc', {
			kind: 'status',
			status: 503,
			body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }),
		});
		await expect(node.poll()).rejects.toThrow('Kantata OX answered 503');
		expect(node.staticData()).toEqual(before);
		expect(ids(await node.poll())).toEqual(['1']);
	});

	it('a revoked token: the API refusal, without the token', async () => {
		const node = await poller({
			type: 'kantataOxTrigger',
			parameters: {},
			credentials: { kantataOxApi: { accessToken: 'revoked-token-123', baseUrl: kantata.server.url } },
		});
		const error = await pollError(node);
		expect(error?.message).toBe('Kantata OX rejected the credential: Invalid OAuth 2 Request');
		expect(error?.description).toBe('Check the access token in the credential, or reconnect the OAuth2 credential.');
		expect(JSON.stringify(error)).not.toContain('revoked-token-123');
		expect(node.staticData()).toEqual({});
	});

	it('a base URL that is not https: refused, the token not sent', async () => {
		const node = await poller({
			type: 'kantataOxTrigger',
			parameters: {},
			credentials: { kantataOxApi: { accessToken: DEFAULT_TOKEN, baseUrl: 'http://example.com/api/v1' } },
		});
		await expect(node.poll()).rejects.toThrow("The Kantata OX credential's Base URL must start with https://");
		expect(kantata.server.requests).toHaveLength(0);
	});
});

describe('the boundary rule (watermark.ts)', () => {
	const payment = (id: string, created_at: string) => ({ id, created_at });

	it('asks from one second before the watermark', () => {
		expect(queryAfter({ at: '2025-03-01T10:00:00Z', ids: ['1'] })).toBe('2025-03-01T09:59:59Z');
		expect(queryAfter({ ids: [] })).toBeUndefined();
	});

	it('reads timestamps with offsets and fractions by their second in UTC', () => {
		const mark = { at: '2025-03-01T10:00:00Z', ids: ['1'] };
		const { fresh, mark: next } = advance(
			mark,
			[payment('1', '2025-03-01T05:00:00-05:00'), payment('2', '2025-03-01T10:00:00.750Z'), payment('3', '2025-03-01T11:00:01+01:00')],
			'created_at',
		);
		expect(fresh.map((p) => p.id)).toEqual(['2', '3']);
		expect(next).toEqual({ at: '2025-03-01T10:00:01Z', ids: ['3'] });
	});

	it('never moves back, and drops what is older than the watermark', () => {
		const mark = { at: '2025-03-01T10:00:00Z', ids: ['5'] };
		const { fresh, mark: next } = advance(mark, [payment('4', '2025-03-01T09:59:59Z')], 'created_at');
		expect(fresh).toEqual([]);
		expect(next).toEqual(mark);
	});

	it('refuses a timestamp it cannot read', () => {
		expect(() => advance({ ids: [] }, [payment('1', 'yesterday')], 'created_at')).toThrow(
			'Kantata OX gave created_at of payment 1 as "yesterday", which is not a timestamp',
		);
	});
});
