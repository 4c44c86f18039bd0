import { RoutingNode } from 'n8n-core';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { runNode } from './engine';
import type { NodeRun, NodeSettings } from './engine';

/**
 * A tiny declarative node that stands in for the package's nodes in the RoutingNode contract tests
 * (test/routingNodeContract*.test.ts): every request goes through a `pagination` function (as the package's
 * do), which the tests give a behaviour and watch.
 */

export type Paginator = (this: IExecutePaginationFunctions, requestData: DeclarativeRestApiSettings.ResultOptions) => Promise<INodeExecutionData[]>;

export interface ContractRun extends NodeRun {
	/** What RoutingNode.runNode resolved to, before WorkflowExecute post-processed it. */
	returned?: INodeExecutionData[][];
	/** What RoutingNode.runNode rejected with, as it reached the node's caller (WorkflowExecute). */
	thrown?: unknown;
}

/** Runs the contract node on `items`; `operation` picks the node-level paginator or a property's own one. */
export async function runContract(options: {
	paginator: Paginator;
	items?: IDataObject[];
	operation?: 'nodePaginator' | 'ownPaginator';
	ownPaginator?: Paginator;
	continueOnFail?: boolean;
	executeOnce?: boolean;
	settings?: NodeSettings;
	/** The node-level operation's preSend (by default one that lets every request pass). */
	preSend?: PreSendAction;
	/** The node-level operation's postReceive (none by default). */
	postReceive?: PostReceiveAction;
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
						routing: {
							request: { method: 'GET', url: '/things' },
							send: { paginate: true, preSend: [options.preSend ?? (async (requestOptions) => requestOptions)] },
							output: options.postReceive ? { postReceive: [options.postReceive] } : undefined,
						},
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
		settings: options.settings,
		extraTypes: { routingContract: contractNode },
	});
	return { ...run, returned, thrown };
}

export const threeItems = [{ row: 0 }, { row: 1 }, { row: 2 }];

/** A paginator that answers one item per input item, echoing which item it ran for. */
export const echo: Paginator = async function () {
	return [{ json: { ranFor: this.getItemIndex() }, pairedItem: { item: this.getItemIndex() } }];
};

/** A paginator that fails for item 1 with `error` and echoes the others. */
export const failingItem1 = (error: unknown): Paginator =>
	async function (this: IExecutePaginationFunctions, requestData) {
		if (this.getItemIndex() === 1) throw error;
		return await echo.call(this, requestData);
	};
