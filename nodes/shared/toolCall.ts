import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { asNodeError } from './errors';
import type { Exchange, Send } from './serviceApi';

/*
 * The action nodes used as AI Agent tools (`usableAsTool: true`). n8n runs a tool as a node of the type it
 * derives from the node, named `<type>Tool` (e.g. `n8n-nodes-moneybird-payments.moneybirdTool`), in the
 * AI Agent's tool path, in the Tool Executor and in the MCP Server Trigger alike; that name is how a node
 * knows it runs as a tool. What changes then, in one place for both services:
 * - a create records nothing twice: "Skip If Already Recorded" is on unless switched off (`skipIfRecordedOn`);
 * - a delete says what happened: deleted, already deleted by the same execution, or no such payment (`deleteOnce`);
 * - a refused or failed call is the tool's answer, a message the agent can act on, not a failed run (`toolAnswer`);
 * - the agent is told what each operation does, and what a repeated call does (`toolDescriptions`).
 */

/** Whether the node runs as the tool variant n8n derives from it. */
export const isToolCall = (context: { getNode(): INode }): boolean => context.getNode().type.endsWith('Tool');

/** The option "Skip If Already Recorded" as set, or when not set: on for a tool, off for the node. */
export const skipIfRecordedOn = (context: IExecuteSingleFunctions): boolean =>
	context.getNodeParameter('options.skipIfAlreadyRecorded', isToolCall(context)) as boolean;

/**
 * A tool's answer for a call that was refused or failed: the error's message and what to do, as text. (A tool
 * gets one call at a time, so "in row 1 (item 0)" says nothing to the agent and is left out.)
 */
export function toolAnswer(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData[] {
	const plain = (text: string) =>
		text.replace(/ (in|for) (row \d+ \(item \d+\)|item \d+\b)/g, '').replace(/ in that (row|item)/g, '');
	const json: IDataObject = { error: plain(error.message) };
	if (error.description) json.hint = plain(error.description);
	const { httpCode } = error as { httpCode?: unknown };
	if (typeof httpCode === 'string' && /^\d{3}$/.test(httpCode)) json.httpCode = httpCode;
	return [{ json, pairedItem: { item: itemIndex } }];
}

/** What a delete used as a tool answers when repeated or given an unknown ID (`deleteOnce`), as its tool description says it. */
export const REPEATED_DELETE =
	'Called again for a payment it already deleted, it answers alreadyDeleted: true, so a repeat is safe. A payment ID that is not there answers an error saying no such payment was found.';

/**
 * What an AI agent is told each operation of `operations` does: a "Tool Description" field of the tool variant
 * only (`@tool`), per operation, prefilled with the operation's action in `service` and what `more` adds (what a
 * repeated call does), which the user may edit. Without a field of its own, n8n would describe the tool by the
 * action alone, and the action is also the name n8n gives a node added from the panel, so it stays short. n8n adds
 * its own description fields only to a node that has none.
 */
export function toolDescriptions(operations: INodeProperties, service: string, more: Record<string, string> = {}): INodeProperties[] {
	return (operations.options as INodePropertyOptions[]).map((option) => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: [`${option.action} in ${service}`, more[String(option.value)]].filter(Boolean).join('. '),
		description: 'What the AI agent is told this tool does. Left empty, it is the operation and the service alone.',
		displayOptions: { show: { '@tool': [true], ...operations.displayOptions?.show, operation: [option.value] } },
	}));
}

/** Whether a failure is the API's 404. */
const isNotFound = (error: unknown): boolean => (error as { httpCode?: unknown } | undefined)?.httpCode === '404';

/**
 * The payments each execution's tool calls deleted, so that a repeated call of the same execution (an agent
 * repeating itself) can be told the truth: already deleted, by this agent. Keyed by execution ID; the oldest
 * executions are forgotten first.
 */
const deletedByExecution = new Map<string, Set<string>>();
const REMEMBERED_EXECUTIONS = 1000;

function deletedIn(context: IExecuteSingleFunctions): Set<string> | undefined {
	const execution = context.getExecutionId();
	if (!execution) return undefined;
	let deleted = deletedByExecution.get(execution);
	if (!deleted) {
		if (deletedByExecution.size >= REMEMBERED_EXECUTIONS) deletedByExecution.delete(deletedByExecution.keys().next().value!);
		deletedByExecution.set(execution, (deleted = new Set()));
	}
	return deleted;
}

/**
 * A delete's exchange. As a tool, a delete answers `deleted: true` only for a payment it deleted: `{ id, deleted:
 * true, alreadyDeleted: false }`, or, called again in the same execution for a payment that call deleted, `{ id,
 * deleted: true, alreadyDeleted: true }`. A payment the API does not find (404, confirmed by `isGone` to be about
 * the payment, not say its invoice) that this execution did not delete is the tool's error answer: no such
 * payment, nothing deleted, so an agent that mistyped an ID does not report success. The node itself keeps
 * failing on a 404: a row that names a payment that is not there is worth a look.
 */
export function deleteOnce(
	isGone: (this: IExecuteSingleFunctions, request: IHttpRequestOptions, send: Send) => Promise<boolean>,
): Exchange {
	return async function (request, send, toItems) {
		const options = request.options as IHttpRequestOptions;
		if (!isToolCall(this)) return await toItems(await send(options));
		const deleted = deletedIn(this);
		try {
			const answer = await toItems(await send(options));
			for (const item of answer) deleted?.add(String(item.json.id));
			return answer.map((item) => ({ ...item, json: { ...item.json, alreadyDeleted: false } }));
		} catch (error) {
			if (!isNotFound(error)) throw asNodeError(this.getNode(), error);
			let gone = false;
			try {
				gone = await isGone.call(this, options, send);
			} catch {
				gone = false;
			}
			if (!gone) throw asNodeError(this.getNode(), error);
			const answer = await toItems({ body: undefined, headers: {}, statusCode: 404 });
			const id = String(answer[0]?.json.id);
			if (!deleted?.has(id)) throw notFound(this, error as NodeApiError, id);
			return answer.map((item) => ({ ...item, json: { ...item.json, alreadyDeleted: true } }));
		}
	};
}

/** A tool's delete of a payment that is not there, in words an agent can act on. */
function notFound(context: IExecuteSingleFunctions, error: NodeApiError, id: string): NodeApiError {
	error.message = `No payment with ID ${id} was found, so nothing was deleted`;
	error.description =
		'Check the payment ID: list the payments to find the right one. A payment deleted earlier (outside this conversation) is not found either.';
	return asNodeError(context.getNode(), error) as NodeApiError;
}
