/**
 * Small builders for workflow JSON as the editor saves it, so each real-n8n scenario is a few lines of code
 * rather than a hand-written file. Every workflow starts at a manual trigger (what `n8n execute` starts from),
 * or at the Kantata OX Trigger for an active one.
 */
import { randomUUID } from 'node:crypto';

import { SANDBOX_CREDENTIALS } from '../../scripts/n8nImports';
import { keepsStaticData } from '../../scripts/sandboxExamples';
import { byId } from '../harness/resourceLocator';
import { nodeType } from '../harness/packages';

export { byId };


export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	executeOnce?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	alwaysOutputData?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	webhookId?: string;
}

export interface WorkflowJson {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
}

export interface NodeOptions {
	/** The node's "On Error: Continue" setting: a failed item becomes an error item and the run goes on. */
	continueOnFail?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
}

/** A node with a fresh ID at [0, 0]. */
export function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, options: NodeOptions = {}) {
	const built: WorkflowNode = { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters };
	if (options.executeOnce) built.executeOnce = true;
	if (options.retryOnFail) built.retryOnFail = true;
	if (options.continueOnFail) built.onError = 'continueRegularOutput';
	return built;
}

export function kantataOx(name: string, parameters: Record<string, unknown>, options?: NodeOptions): WorkflowNode {
	return {
		...node(name, nodeType('kantataOx'), 1, { authentication: 'accessToken', resource: 'externalPayment', ...parameters }, options),
		credentials: { kantataOxApi: SANDBOX_CREDENTIALS.kantataOxApi },
	};
}

export function moneybird(name: string, parameters: Record<string, unknown>, options?: NodeOptions): WorkflowNode {
	const defaults = { authentication: 'accessToken', resource: 'externalSalesInvoicePayment' };
	return {
		...node(name, nodeType('moneybird'), 1, { ...defaults, ...parameters }, options),
		credentials: { moneybirdApi: SANDBOX_CREDENTIALS.moneybirdApi },
	};
}

/**
 * The Kantata OX Trigger polling every `seconds` (a divisor of 60), or every minute when absent. n8n 1.x refuses
 * only a cron whose seconds field holds a `*`, so a list of seconds keeps its test short; n8n 2.x refuses any
 * interval under a minute.
 */
export function kantataOxTrigger(name: string, seconds?: number): WorkflowNode {
	const marks = seconds && Array.from({ length: 60 / seconds }, (_, i) => i * seconds).join(',');
	const pollTime = marks ? { mode: 'custom', cronExpression: `${marks} * * * * *` } : { mode: 'everyMinute' };
	return {
		...node(name, nodeType('kantataOxTrigger'), 1, {
			authentication: 'accessToken',
			pollTimes: { item: [pollTime] },
			filters: {},
			options: {},
		}),
		credentials: { kantataOxApi: SANDBOX_CREDENTIALS.kantataOxApi },
	};
}

/** n8n's Webhook node on `path` (POST), answering with the last node's items once the run is done. */
export function webhook(name: string, path: string): WorkflowNode {
	return {
		...node(name, 'n8n-nodes-base.webhook', 2, {
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		}),
		webhookId: randomUUID(),
	};
}

/** One item per entry of the incoming item's `field` (an array), with n8n's Split Out node. */
export function splitOut(name: string, field: string): WorkflowNode {
	return node(name, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: field, include: 'noOtherFields', options: {} });
}

/** Items from literal rows, with n8n's core nodes only (Edit Fields in JSON mode, then Split Out). */
export function rowsOf(name: string, rows: Array<Record<string, unknown>>): WorkflowNode[] {
	return [
		node(`${name} (list)`, 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} }),
		node(name, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', include: 'noOtherFields', options: {} }),
	];
}

const link = (to: WorkflowNode) => [{ node: to.name, type: 'main' as const, index: 0 }];

/**
 * A workflow whose `start` node (a manual trigger unless given) feeds each branch, a chain of nodes. Branches run
 * one after another in the order given (execution order v1 takes a node's children from the top down).
 */
export function workflow(id: string, branches: WorkflowNode[][], start?: WorkflowNode): WorkflowJson {
	if (!keepsStaticData(id)) throw new Error(`Workflow ID "${id}": n8n keeps no static data for it (at most 16 letters and digits)`);
	const trigger = start ?? node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
	const connections: WorkflowJson['connections'] = {};
	const nodes = [trigger];
	branches.forEach((chain, row) => {
		chain.forEach((current, column) => {
			current.position = [(column + 1) * 240, row * 200];
			const from = column === 0 ? trigger : chain[column - 1];
			connections[from.name] ??= { main: [[]] };
			connections[from.name].main[0].push(...link(current));
			nodes.push(current);
		});
	});
	return { id, name: id, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
