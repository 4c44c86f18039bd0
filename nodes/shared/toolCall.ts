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
 * - a delete of a payment already gone answers so (`deleteOnce`);
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

/** What a delete used as a tool answers when repeated (`deleteOnce`), as its tool description says it. */
export const REPEATED_DELETE = 'Called again for a payment already deleted, it answers alreadyDeleted: true, so a repeat is safe.';

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
 * A delete's exchange. As a tool, a payment the API does not find (404) is answered as already deleted when
 * `isGone` confirms the 404 is about the payment (not, say, its invoice): `{ id, deleted: true,
 * alreadyDeleted: true }`, so an agent may repeat a delete. The node itself keeps failing on a 404: a row that
 * names a payment that is not there is worth a look.
 */
export function deleteOnce(
	isGone: (this: IExecuteSingleFunctions, request: IHttpRequestOptions, send: Send) => Promise<boolean>,
): Exchange {
	return async function (request, send, toItems) {
		const options = request.options as IHttpRequestOptions;
		if (!isToolCall(this)) return await toItems(await send(options));
		try {
			const deleted = await toItems(await send(options));
			return deleted.map((item) => ({
				...item,
				json: { ...item.json, alreadyDeleted: false },
			}));
		} catch (error) {
			if (!isNotFound(error)) throw asNodeError(this.getNode(), error);
			let gone = false;
			try {
				gone = await isGone.call(this, options, send);
			} catch {
				gone = false;
			}
			if (!gone) throw asNodeError(this.getNode(), error);
			const answer = await toItems({
				body: undefined,
				headers: {},
				statusCode: 404,
			});
			return answer.map((item) => ({
				...item,
				json: { ...item.json, alreadyDeleted: true },
			}));
		}
	};
}
