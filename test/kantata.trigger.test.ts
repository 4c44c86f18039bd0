import type { IDataObject } from 'n8n-workflow';

import { ids, KANTATA_OAUTH_TOKEN, kantataTriggerFixture, range } from './fixtures';

// The Kantata OX Trigger polling for new payments: activation, each payment once, manual test runs.
const { kantata, at, stamp, trigger, pay, sentQueries } = kantataTriggerFixture();

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
