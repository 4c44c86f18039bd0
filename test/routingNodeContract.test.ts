/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped (README, Releasing) */
import { RoutingNode } from 'n8n-core';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { runNode } from './harness/engine';
import type { NodeRun } from './harness/engine';
import { selectedEngine } from './harness/engines';

/**
 * What this package relies on in n8n-core's RoutingNode, pinned on every engine the suite runs on, so that an
 * n8n release that changes one of these fails a test named after it. The nodes' item queue, per-run credential
 * and pairing (nodes/shared/itemQueue.ts, runCredential.ts, requestRunner.ts) are built on them.
 *
 * A tiny declarative node defined here stands in for the package's nodes: every request goes through a
 * `pagination` function (as the package's do), which these tests give a behaviour and watch.
 */

type Paginator = (this: IExecutePaginationFunctions, requestData: DeclarativeRestApiSettings.ResultOptions) => Promise<INodeExecutionData[]>;

interface ContractRun extends NodeRun {
	/** What RoutingNode.runNode resolved to, before WorkflowExecute post-processed it. */
	returned?: INodeExecutionData[][];
	/** What RoutingNode.runNode rejected with, as it reached the node's caller (WorkflowExecute). */
	thrown?: unknown;
}

/** Runs the contract node on `items`; `operation` picks the node-level paginator or a property's own one. */
async function runContract(options: {
	paginator: Paginator;
	items?: IDataObject[];
	operation?: 'nodePaginator' | 'ownPaginator';
	ownPaginator?: Paginator;
	continueOnFail?: boolean;
	executeOnce?: boolean;
}): Promise<ContractRun> {
	const description: INodeTypeDescription = {
		displayName: 'Routing Contract',
		name: 'routingContract',
		group: ['transform'],
		version: 1,
		description: 'A declarative node whose every request goes through a pagination function',
		defaults: { name: 'Routing Contract' },
		inputs: ['main'],
		outputs: ['main'],
		// Never reached: the paginators answer without sending anything.
		requestDefaults: { baseURL: 'http://127.0.0.1:9' },
		requestOperations: { pagination: options.paginator },
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'nodePaginator',
				options: [
					{
						name: 'Node Paginator',
						value: 'nodePaginator',
						// The package's operations look like this: `paginate` set, an asynchronous pre-send check.
						routing: { request: { method: 'GET', url: '/things' }, send: { paginate: true, preSend: [async (requestOptions) => requestOptions] } },
					},
					{
						name: 'Own Paginator',
						value: 'ownPaginator',
						routing: {
							request: { method: 'POST', url: '/things' },
							send: { paginate: true },
							operations: { pagination: options.ownPaginator ?? options.paginator },
						},
					},
				],
			},
		],
	};
	let returned: INodeExecutionData[][] | undefined;
	let thrown: unknown;
	// What n8n's node-type registry gives a declarative node, with the outcome kept for the tests to look at.
	const contractNode: INodeType = {
		description,
		async execute(this: IExecuteFunctions) {
			try {
				const output = (await new RoutingNode(this as never, { description }).runNode()) ?? [];
				// A copy as it came: WorkflowExecute goes on to change these items in place (error text, pairing).
				returned = output.map((items) => items.map((item) => ({ ...item, json: { ...item.json } })));
				return output;
			} catch (error) {
				thrown = error;
				throw error;
			}
		},
	};
	const run = await runNode({
		type: 'routingContract',
		parameters: { operation: options.operation ?? 'nodePaginator' },
		credentials: {},
		items: options.items ?? [{ row: 0 }],
		continueOnFail: options.continueOnFail,
		executeOnce: options.executeOnce,
		extraTypes: { routingContract: contractNode },
	});
	return { ...run, returned, thrown };
}

const threeItems = [{ row: 0 }, { row: 1 }, { row: 2 }];

/** A paginator that answers one item per input item, echoing which item it ran for. */
const echo: Paginator = async function () {
	return [{ json: { ranFor: this.getItemIndex() }, pairedItem: { item: this.getItemIndex() } }];
};

/** A paginator that fails for item 1 with `error` and echoes the others. */
const failingItem1 = (error: unknown): Paginator =>
	async function (this: IExecutePaginationFunctions, requestData) {
		if (this.getItemIndex() === 1) throw error;
		return await echo.call(this, requestData);
	};

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

	describe('items start together', () => {
		test("every item's paginator is entered before any of them returns, and before one timer turn has passed", async () => {
			const entered: number[] = [];
			const enteredWhenTimerTurned: number[] = [];
			const run = await runContract({
				items: threeItems,
				paginator: async function (requestData) {
					entered.push(this.getItemIndex());
					// One timer turn, as the item queue's quiet check waits (nodes/shared/itemQueue.ts).
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

	describe('rejections', () => {
		test('a rejection that is not the engine’s NodeApiError is re-wrapped as one, keeping message and description, httpCode "none"', async () => {
			const rejection = Object.assign(new Error('The row was refused'), { description: 'Why it was refused' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).not.toBe(rejection);
			expect(run.thrown).toMatchObject({
				message: 'The row was refused',
				description: 'Why it was refused',
				httpCode: 'none',
				context: { itemIndex: 1, runIndex: 0 },
			});
			expect(run.error?.message).toBe('The row was refused');
		});

		test('an axios-shaped rejection is re-wrapped with httpCode from error.response.status', async () => {
			const rejection = Object.assign(new Error('Teapot'), { isAxiosError: true, response: { status: 418 }, description: 'Short and stout' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).toMatchObject({ message: 'Teapot', description: 'Short and stout', httpCode: '418' });
		});

		test('a status on a rejection that is not axios-shaped does not become the httpCode', async () => {
			const rejection = Object.assign(new Error('Refused'), { response: { status: 422 } });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toMatchObject({ message: 'Refused', httpCode: 'none' });
		});

		test('an engine-class NodeOperationError is re-wrapped as a NodeApiError too (only NodeApiError passes through)', async () => {
			const rejection = new NodeOperationError({ name: 'Node' } as never, 'Invalid row in item 1', { description: 'nothing was sent' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).toMatchObject({ message: 'Invalid row in item 1', description: 'nothing was sent', httpCode: 'none' });
		});

		test('an engine-class NodeApiError passes through unchanged, told its item and run index', async () => {
			const rejection = new NodeApiError({ name: 'Node' } as never, { message: 'Too many requests' }, {
				message: 'The API refused',
				description: 'In its own words',
				httpCode: '503',
			});
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBe(rejection);
			expect(rejection).toMatchObject({
				message: 'The API refused',
				description: 'In its own words',
				httpCode: '503',
				context: { itemIndex: 1, runIndex: 0 },
			});
		});

		test('a rejection with statusCode 429 has its message replaced by the engine’s batching hint', async () => {
			// The package must not throw errors carrying statusCode 429 if its own message is to reach the user.
			const rejection = Object.assign(new Error('Rate limited: waited 300 s'), { statusCode: 429 });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect((run.thrown as Error).message).toMatch(/batching/);
		});
	});

	describe('Continue On Fail', () => {
		test('a rejection becomes { json: {}, error } for that item, in its place, the other items’ output kept', async () => {
			const rejection = Object.assign(new Error('The row was refused'), { description: 'Why' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection), continueOnFail: true });
			expect(run.error).toBeUndefined();
			expect(run.thrown).toBeUndefined();
			const [output] = run.returned ?? [];
			expect(output).toHaveLength(3);
			expect(output[0].json).toEqual({ ranFor: 0 });
			expect(output[1]).toEqual({ json: {}, error: rejection });
			expect(output[1].error).toBe(rejection);
			expect(output[2].json).toEqual({ ranFor: 2 });
		});

		test('WorkflowExecute then shows the error item as { error: message } in its place', async () => {
			const run = await runContract({ items: threeItems, paginator: failingItem1(new Error('refused')), continueOnFail: true });
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }, { error: 'refused' }, { ranFor: 2 }]);
		});

		test('the error item gets paired to its input by WorkflowExecute when there is one output item per input', async () => {
			const run = await runContract({ items: threeItems, paginator: failingItem1(new Error('refused')), continueOnFail: true });
			expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
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
