import { byId, ids, kantataTriggerFixture } from './fixtures';

// The Kantata OX Trigger on External Payment Recorded or Updated, and its filters.
const { kantata, at, stamp, trigger, pay, update, sentQueries } = kantataTriggerFixture();

describe('Kantata OX Trigger on payments recorded or updated', () => {
	it('on: emits each update once, after the new payments, and a new payment once even when it changed', async () => {
		pay(3); // 1..3 at second 0
		const node = await trigger({ event: 'paymentRecordedOrUpdated' });
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
		const node = await trigger({ event: 'paymentRecordedOrUpdated' });
		await node.poll();
		at(5);
		update('1', 111);
		expect(ids(await node.poll())).toEqual(['1']);
		at(5, 600);
		update('2', 222); // same second as the update just emitted
		expect(ids(await node.poll())).toEqual(['2']);
		expect(await node.poll()).toBeNull();
	});

	it('recorded only (the default): updates are not emitted and no update watermark is kept', async () => {
		pay(2);
		const node = await trigger();
		await node.poll();
		at(1);
		update('1', 5000);
		expect(await node.poll()).toBeNull();
		expect(node.staticData().updated).toBeUndefined();
		expect(kantata.paymentRequests().every((request) => request.query.updated_after === undefined)).toBe(true);
	});

	it('chosen later: counts updates from then on, and still emits the new payments', async () => {
		pay(2);
		const node = await trigger();
		await node.poll();
		at(1);
		update('1', 5000); // while off
		pay(1); // 3
		node.node.parameters.event = 'paymentRecordedOrUpdated';
		expect(ids(await node.poll())).toEqual(['3']);
		at(2);
		update('2', 7000);
		expect(ids(await node.poll())).toEqual(['2']);
		// Back to recorded only: the update watermark goes, so choosing it again later counts from then once more.
		node.node.parameters.event = 'paymentRecorded';
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
		const node = await trigger({ filters, event: 'paymentRecordedOrUpdated' });
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
