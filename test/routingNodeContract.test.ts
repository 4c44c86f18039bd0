import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { selectedEngine } from './harness/engines';
import { echo, runContract, threeItems } from './harness/routingContract';
import type { Paginator } from './harness/routingContract';

/**
 * What this package relies on in n8n-core's RoutingNode, pinned on every engine the suite runs on, so that an
 * n8n release that changes one of these fails a test named after it. The engine adaptation
 * (nodes/shared/routingAdapter.ts) lists each behaviour by these names. Rejections and Continue On Fail are in
 * routingNodeContract.rejections.test.ts.
 */

describe(`RoutingNode contract (engine ${selectedEngine().name})`, () => {
	describe('pagination', () => {
		test('requestOperations.pagination is called once per item when paginate is set, with that item index', async () => {
			const calls: number[] = [];
			const run = await runContract({
				items: threeItems,
				paginator: async function (requestData) {
					calls.push(this.getItemIndex());
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(calls.sort()).toEqual([0, 1, 2]);
			expect(run.items.map((item) => item.json.ranFor)).toEqual([0, 1, 2]);
		});

		test("an operation's own routing.operations.pagination replaces the node's requestOperations.pagination", async () => {
			const nodeLevel: number[] = [];
			const own: number[] = [];
			const run = await runContract({
				items: threeItems,
				operation: 'ownPaginator',
				paginator: async function (requestData) {
					nodeLevel.push(this.getItemIndex());
					return await echo.call(this, requestData);
				},
				ownPaginator: async function (requestData) {
					own.push(this.getItemIndex());
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(nodeLevel).toEqual([]);
			expect(own.sort()).toEqual([0, 1, 2]);
		});

		test('the paginator gets the request RoutingNode built (method, url, paginate) and makeRoutingRequest', async () => {
			const seen: IDataObject[] = [];
			await runContract({
				paginator: async function (requestData) {
					seen.push({
						method: requestData.options.method,
						url: requestData.options.url,
						paginate: requestData.paginate,
						makeRoutingRequest: typeof this.makeRoutingRequest,
					});
					return await echo.call(this, requestData);
				},
			});
			expect(seen).toEqual([{ method: 'GET', url: '/things', paginate: true, makeRoutingRequest: 'function' }]);
		});
	});

	describe('one run, one execute-data object', () => {
		test('every item of a run gets the same getExecuteData() object, listing the run’s input items', async () => {
			const seen: object[] = [];
			const run = await runContract({
				items: threeItems,
				paginator: async function (requestData) {
					seen.push(this.getExecuteData());
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(seen).toHaveLength(3);
			expect(seen[1]).toBe(seen[0]);
			expect(seen[2]).toBe(seen[0]);
			const listed = (seen[0] as { data: { main: INodeExecutionData[][] } }).data.main[0];
			expect(listed.map((item) => item.json)).toEqual(threeItems);
		});

		test('two runs get two different execute-data objects', async () => {
			const seen: object[] = [];
			const paginator: Paginator = async function (requestData) {
				seen.push(this.getExecuteData());
				return await echo.call(this, requestData);
			};
			await runContract({ paginator });
			await runContract({ paginator });
			expect(seen).toHaveLength(2);
			expect(seen[1]).not.toBe(seen[0]);
		});
	});

	describe('Retry On Fail', () => {
		const retry = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };

		test('Retry On Fail runs the node again with the same execute data, after every item of the failed try settled', async () => {
			const events: string[] = [];
			const seen = new Set<object>();
			let failed = false;
			const run = await runContract({
				items: threeItems,
				settings: retry,
				paginator: async function (requestData) {
					const item = this.getItemIndex();
					seen.add(this.getExecuteData());
					events.push(`enter ${item}`);
					await new Promise((resolve) => setTimeout(resolve, 5 * item));
					events.push(`leave ${item}`);
					if (item === 1 && !failed) {
						failed = true;
						throw new Error('refused once');
					}
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }, { ranFor: 1 }, { ranFor: 2 }]);
			expect(seen.size).toBe(1);
			const firstTry = events.slice(0, 6);
			expect(firstTry.filter((event) => event.startsWith('leave'))).toHaveLength(3);
			expect(events.slice(6)).toEqual(['enter 0', 'enter 1', 'enter 2', 'leave 0', 'leave 1', 'leave 2']);
		});

		test('with Continue On Fail, an item that failed is output as an error and the node is not run again', async () => {
			let entered = 0;
			const run = await runContract({
				items: threeItems,
				continueOnFail: true,
				settings: retry,
				paginator: async function (requestData) {
					entered++;
					if (this.getItemIndex() === 0) throw new Error('refused');
					return await echo.call(this, requestData);
				},
			});
			expect(entered).toBe(3);
			expect(run.items).toHaveLength(3);
			expect(run.items[0].json).toEqual({ error: 'refused' });
		});
	});

	describe('items start together', () => {
		test("every item's paginator is entered before any of them returns, and before one timer turn has passed", async () => {
			const entered: number[] = [];
			const enteredWhenTimerTurned: number[] = [];
			const run = await runContract({
				items: threeItems,
				paginator: async function (requestData) {
					entered.push(this.getItemIndex());
					// One timer turn, as the item queue's quiet check waits (nodes/shared/routingAdapter.ts).
					await new Promise((resolve) => setTimeout(resolve, 0));
					enteredWhenTimerTurned.push(entered.length);
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(entered).toEqual([0, 1, 2]);
			expect(enteredWhenTimerTurned).toEqual([3, 3, 3]);
		});
	});

	describe('preSend and postReceive around the paginator', () => {
		test("an item's preSend runs before its paginator, and an item whose preSend rejects never reaches it", async () => {
			const events: string[] = [];
			const run = await runContract({
				items: threeItems,
				continueOnFail: true,
				preSend: async function (requestOptions) {
					events.push(`preSend ${this.getItemIndex()}`);
					if (this.getItemIndex() === 1) throw new Error('refused before sending');
					return requestOptions;
				},
				paginator: async function (requestData) {
					events.push(`paginator ${this.getItemIndex()}`);
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(events).not.toContain('paginator 1');
			for (const item of [0, 2]) {
				expect(events.indexOf(`preSend ${item}`)).toBeLessThan(events.indexOf(`paginator ${item}`));
			}
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }, { error: 'refused before sending' }, { ranFor: 2 }]);
		});

		test("every item's first preSend is entered before one timer turn has passed, even while another item's preSend is still waiting", async () => {
			const entered: number[] = [];
			let enteredWhenTimerTurned = -1;
			const run = await runContract({
				items: threeItems,
				preSend: async function (requestOptions) {
					// One timer turn from the first item's entry, as the item queue's quiet check waits.
					if (entered.length === 0) setTimeout(() => (enteredWhenTimerTurned = entered.length), 0);
					entered.push(this.getItemIndex());
					// Item 0 reads something first (as a lookup by reference does) and takes longer than a timer turn.
					if (this.getItemIndex() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
					return requestOptions;
				},
				paginator: echo,
			});
			expect(run.error).toBeUndefined();
			expect(entered).toEqual([0, 1, 2]);
			expect(enteredWhenTimerTurned).toBe(3);
		});

		test('postReceive is not run on what the paginator returns', async () => {
			let postReceiveRuns = 0;
			const run = await runContract({
				items: threeItems,
				postReceive: async function (items) {
					postReceiveRuns++;
					return items.map((item) => ({ json: { ...item.json, changedByPostReceive: true } }));
				},
				paginator: echo,
			});
			expect(run.error).toBeUndefined();
			expect(postReceiveRuns).toBe(0);
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }, { ranFor: 1 }, { ranFor: 2 }]);
		});
	});

	describe('Execute Once', () => {
		test('the paginator runs for the first item only, and the execute data lists at least that item', async () => {
			const calls: number[] = [];
			let listed = 0;
			const run = await runContract({
				items: threeItems,
				executeOnce: true,
				paginator: async function (requestData) {
					calls.push(this.getItemIndex());
					listed = (this.getExecuteData().data.main[0] ?? []).length;
					return await echo.call(this, requestData);
				},
			});
			expect(run.error).toBeUndefined();
			expect(calls).toEqual([0]);
			// The item queue waits for as many items as are listed, or one timer turn: never fewer listed than started.
			expect(listed).toBeGreaterThanOrEqual(1);
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }]);
		});
	});
});
