/**
 * What the real-n8n scenarios of n8n's node settings, Retry On Fail and AI tools share: sandbox paths, request
 * matchers, recorded payments, Create parameters, and ways to set up and read a workflow's nodes and outputs.
 */
import { randomUUID } from 'node:crypto';

import type { RecordedRequest, RequestMatcher } from '../../sandbox/server';
import { MONEYBIRD_SEED } from '../../sandbox/moneybird';
import type { Sandbox } from './realN8n';
import type { StoredExecution, StoredItem } from './storedRuns';
import { taskOf } from './storedRuns';
import { byId } from './workflowBuilders';
import type { WorkflowJson, WorkflowNode } from './workflowBuilders';

export const ADM = MONEYBIRD_SEED.administrations.main;
export const LISTING = '/api/v1/external_payments.json';
export const paymentsPath = (invoice: string) => `/api/v2/${ADM}/external_sales_invoices/${invoice}/payments.json`;
export const invoicePath = (invoice: string) => `/api/v2/${ADM}/external_sales_invoices/${invoice}.json`;

/** Kantata creates whose message starts with `prefix` (each scenario writes its own). */
export const kantataCreates =
	(prefix: string): RequestMatcher =>
	(r) =>
		r.method === 'POST' && r.path === LISTING && String(messageOf(r)).startsWith(prefix);
export const messageOf = (r: RecordedRequest) => (r.body as { external_payment?: { message?: string } })?.external_payment?.message;

/** Payments the Kantata sandbox holds whose message starts with `prefix`, oldest first. */
export function kantataRecorded(sandbox: Sandbox, prefix: string) {
	return [...sandbox.kantata.state.rows.values()]
		.filter((row) => String(row.payment.message).startsWith(prefix))
		.sort((a, b) => a.num - b.num)
		.map((row) => row.payment);
}

export const createAmount = (extra: Record<string, unknown>) => ({ operation: 'create', project: byId('101'), recordFor: 'amount', ...extra });
export const moneybirdCreate = (invoice: string, extra: Record<string, unknown> = {}) => ({
	operation: 'create',
	administration: byId(ADM),
	invoice: byId(invoice),
	paymentDate: '2025-03-01',
	...extra,
	options: { refuseOverpayment: false, ...(extra.options as Record<string, unknown> | undefined) }, // see moneybird.overpayment.test.ts
});

/** n8n's No Operation node: shows whether (and with what) the workflow went on past a node. */
export function noOp(name: string): WorkflowNode {
	return { id: randomUUID(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** A node's n8n settings (the editor's Settings tab), set on a built node. */
export function withSettings(node: WorkflowNode, settings: Partial<WorkflowNode>): WorkflowNode {
	return Object.assign(node, settings);
}

/** Connects `from`'s output `output` (1: the error output) to a new `to` node. */
export function connectOutput(built: WorkflowJson, from: string, output: number, to: WorkflowNode): WorkflowJson {
	const source = built.nodes.find((n) => n.name === from)!;
	to.position = [source.position[0] + 240, source.position[1] + 100];
	built.nodes.push(to);
	const main = (built.connections[from] ??= { main: [[]] }).main;
	while (main.length <= output) main.push([]);
	main[output].push({ node: to.name, type: 'main', index: 0 });
	return built;
}

/** Items on one output of the node's first run. */
export function outputNumber(execution: StoredExecution, node: string, output: number): StoredItem[] {
	return taskOf(execution, node).data?.main[output] ?? [];
}

export const pairedIndex = (item: StoredItem) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : paired?.item;
};
