import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { byId, kantataFixture } from './fixtures';

/** Kantata OX Create with "Skip If Already Recorded": rows run again, repeated, or after a run that was killed. */

const kantata = kantataFixture();

/** Create mapped from sheet rows, as a workflow over a sheet of bank payments would set it up. */
const fromRows = (options: INodeParameters = { skipIfAlreadyRecorded: true }): INodeParameters => ({
	operation: 'create',
	project: byId('={{ $json.project }}'),
	recordFor: 'amount',
	amount: '={{ $json.amount }}',
	message: '={{ $json.note }}',
	paymentKey: '={{ $json.rowId }}',
	options,
});

/** `count` sheet rows from row `from`, each with its own key and amount. */
const rows = (count: number, from = 0, project = '101'): IDataObject[] =>
	Array.from({ length: count }, (_, i) => ({ project, rowId: `row-${from + i}`, amount: `${10 + from + i}.25`, note: `Row ${from + i}` }));

/** The listing before anything is sent; the look after a run's creates (overlappingRuns.test.ts) apart. */
const listings = () => kantata.paymentRequests().filter((r) => r.method === 'GET' && !r.query.created_after);
const looks = () => kantata.paymentRequests().filter((r) => r.method === 'GET' && r.query.created_after);
const creates = () => kantata.paymentRequests().filter((r) => r.method === 'POST');
const payments = () => kantata.state.sortedBy('id').map((row) => row.payment);
/** How many payments carry each key, read from the messages as Kantata holds them. */
const keyCounts = () => {
	const counts: Record<string, number> = {};
	for (const { message } of payments()) {
		const key = /\[n8n-key:([^\]]+)\]$/.exec(message ?? '')?.[1];
		if (key) counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
};
const flags = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.alreadyRecorded);

describe('Kantata OX Create: Skip If Already Recorded', () => {
	it('a first run records each row once, after one listing; running the rows again records nothing and costs one listing', async () => {
		const sheet = rows(5);

		const first = await kantata.run(fromRows(), { items: sheet });

		expect(first.error).toBeUndefined();
		expect(flags(first.items)).toEqual([false, false, false, false, false]);
		expect(kantata.paymentRequests().map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET']);
		expect(looks().map((r) => r.query.workspace_id)).toEqual(['101']);
		expect(listings()[0].query).toEqual({ workspace_id: '101', order: 'id:asc', page: '1', per_page: '200' });
		expect(creates()[0].body).toEqual({ external_payment: { workspace_id: '101', amount_in_cents: 1025, message: 'Row 0 [n8n-key:row-0]' } });
		expect(first.items[4].json).toMatchObject({ amount_in_cents: 1425, message: 'Row 4 [n8n-key:row-4]' });

		kantata.server.resetLog();
		const second = await kantata.run(fromRows(), { items: sheet });

		expect(second.error).toBeUndefined();
		expect(listings()).toHaveLength(1);
		expect(creates()).toHaveLength(0);
		expect(flags(second.items)).toEqual([true, true, true, true, true]);
		expect(second.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
		expect(second.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		// The payment as Kantata holds it, so it can be compared with the row downstream.
		expect(second.items[2].json).toEqual({ ...kantata.state.getPayment(String(first.items[2].json.id)), alreadyRecorded: true });
		expect(keyCounts()).toEqual({ 'row-0': 1, 'row-1': 1, 'row-2': 1, 'row-3': 1, 'row-4': 1 });
	});

	it("costs one request per 200 of the project's payments, whatever the number of rows, and lists no other project", async () => {
		for (let n = 0; n < 450; n++) kantata.state.addPayment({ workspace_id: '101', message: n % 2 ? `Payment ${n}` : `Old [n8n-key:old-${n}]` });
		for (let n = 0; n < 30; n++) kantata.state.addPayment({ workspace_id: '102', message: `Other [n8n-key:row-${n}]` });
		// A key recorded in another project is another payment: row-1 is recorded in 101 all the same.
		// old-448 was recorded for 10.00 (the sandbox's default amount): this row is its exact repeat.
		const sheet = [...rows(4), { project: '101', rowId: 'old-448', amount: '10', note: '' }];

		const first = await kantata.run(fromRows(), { items: sheet });

		expect(first.error).toBeUndefined();
		expect(flags(first.items)).toEqual([false, false, false, false, true]);
		expect(first.items[4].json.message).toBe('Old [n8n-key:old-448]');
		expect(listings().map((r) => [r.query.workspace_id, r.query.page])).toEqual([
			['101', '1'],
			['101', '2'],
			['101', '3'],
		]);
		expect(creates()).toHaveLength(4);

		kantata.server.resetLog();
		const second = await kantata.run(fromRows(), { items: sheet });

		expect(flags(second.items)).toEqual([true, true, true, true, true]);
		expect(listings()).toHaveLength(3);
		expect(creates()).toHaveLength(0);
		expect(payments().filter((p) => p.workspace_id === '101')).toHaveLength(454);
	});

	it('a key repeated within a run is recorded once; the repeat outputs the payment the first row recorded', async () => {
		const [a, b, c] = rows(3);
		// The same amount written another way is the same payment (another amount is refused: keyReuse.test.ts).
		const sheet = [a, b, { ...a, amount: String(a.amount).replace('.', ',') }, c, { ...c }];

		const result = await kantata.run(fromRows(), { items: sheet });

		expect(result.error).toBeUndefined();
		expect(flags(result.items)).toEqual([false, false, true, false, true]);
		expect(result.items[2].json).toEqual({ ...result.items[0].json, alreadyRecorded: true });
		expect(result.items[4].json.id).toBe(result.items[3].json.id);
		expect(listings()).toHaveLength(1);
		expect(creates()).toHaveLength(3);
		expect(keyCounts()).toEqual({ 'row-0': 1, 'row-1': 1, 'row-2': 1 });
	});

	it('each project is listed once, on the turn of its first row', async () => {
		const sheet = [...rows(1, 0, '101'), ...rows(1, 0, '102'), ...rows(1, 1, '101'), ...rows(1, 1, '102')];

		const first = await kantata.run(fromRows(), { items: sheet });

		expect(first.error).toBeUndefined();
		expect(kantata.paymentRequests().map((r) => `${r.method} ${r.query.workspace_id ?? ''}`)).toEqual([
			'GET 101',
			'POST ',
			'GET 102',
			'POST ',
			'POST ',
			'POST ',
			// After the run's creates, one look per project for a duplicate another run recorded.
			'GET 101',
			'GET 102',
		]);
		kantata.server.resetLog();
		const second = await kantata.run(fromRows(), { items: sheet });
		expect(flags(second.items)).toEqual([true, true, true, true]);
		expect(kantata.paymentRequests().map((r) => r.method)).toEqual(['GET', 'GET']);
	});

	it('a run of 100 rows killed half-way, then run again whole, records each row exactly once', async () => {
		const sheet = rows(100);
		// The killed run: rows 0-49 recorded and answered; row 50 recorded by Kantata, its answer never read.
		await kantata.run(fromRows(), { items: sheet.slice(0, 50) });
		kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 6025, message: 'Row 50 [n8n-key:row-50]' });
		kantata.server.resetLog();

		const again = await kantata.run(fromRows(), { items: sheet });

		expect(again.error).toBeUndefined();
		expect(flags(again.items)).toEqual([...Array<boolean>(51).fill(true), ...Array<boolean>(49).fill(false)]);
		expect(listings()).toHaveLength(1);
		expect(creates()).toHaveLength(49);
		expect(Object.values(keyCounts())).toEqual(Array<number>(100).fill(1));
		expect(Object.keys(keyCounts()).sort()).toEqual(sheet.map((row) => String(row.rowId)).sort());
		expect(payments()).toHaveLength(100);
	});

	it('off (no option): nothing is listed, every row is sent, and the output has no alreadyRecorded', async () => {
		const [row] = rows(1);

		const result = await kantata.run(fromRows({}), { items: [row, row] });

		expect(result.error).toBeUndefined();
		expect(kantata.paymentRequests().map((r) => r.method)).toEqual(['POST', 'POST']);
		expect(result.items.map((item) => 'alreadyRecorded' in item.json)).toEqual([false, false]);
		// The key is still kept in the message, so a later run with the option on finds these.
		expect(result.items.map((item) => item.json.message)).toEqual(['Row 0 [n8n-key:row-0]', 'Row 0 [n8n-key:row-0]']);
	});

	it('switched off explicitly, the key may be left empty and the message is sent as it is', async () => {
		const result = await kantata.run(fromRows({ skipIfAlreadyRecorded: false }), { items: [{ ...rows(1)[0], rowId: '' }] });

		expect(result.error).toBeUndefined();
		expect(creates()[0].body).toEqual({ external_payment: { workspace_id: '101', amount_in_cents: 1025, message: 'Row 0' } });
	});

	it('a project whose payments cannot be listed fails its items; nothing is recorded for them', async () => {
		kantata.server.injectFaults((r) => r.method === 'GET', ...Array(4).fill({ kind: 'status', status: 503, rawBody: '' }));

		const result = await kantata.run(fromRows(), { items: [...rows(2), ...rows(1, 0, '102')], continueOnFail: true });

		expect(result.items[0].json.error).toBe("Kantata OX's payments in project 101 could not be listed: Kantata OX answered 503 (row 1, item 0)");
		expect(result.items[0].json.message).toContain('Nothing was recorded for this item: with "Skip If Already Recorded" on');
		expect(result.items[1].json.error).toBe(String(result.items[0].json.error).replace('(row 1, item 0)', '(row 2, item 1)'));
		expect(result.items[2].json).toMatchObject({ alreadyRecorded: false, workspace_id: '102' });
		expect(listings()).toHaveLength(5);
		expect(creates()).toHaveLength(1);
	});
});
