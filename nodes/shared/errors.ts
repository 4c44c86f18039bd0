import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { redact } from './redaction';

/*
 * How an error leaves the package. RoutingNode (n8n-core 1.x and 2.x) keeps a rejected item's error only when
 * it is an instance of the engine's own NodeApiError; anything else it wraps as an API error with the code
 * "none", taking the status from `isAxiosError` and `response.status` (test/routingNodeContract, "rejections").
 * The engine's n8n-workflow can be another copy than the package's, so nothing here relies on `instanceof`
 * across copies: errors are shaped to read right either way.
 */

/** What went wrong with one request, in the API's own words. */
export interface FailureText {
	message: string;
	description?: string;
}

const NODE_ERROR_NAMES = new Set(['NodeApiError', 'NodeOperationError']);

/** An n8n node error from any copy of n8n-workflow. */
function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return error instanceof Error && NODE_ERROR_NAMES.has(error.name) && 'node' in error;
}

/** Node errors pass unchanged; anything else (a bug, an engine error) becomes a node error. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (isNodeError(error)) return error;
	return new NodeOperationError(node, error as Error);
}

/** For an item's request: node errors pass unchanged; anything else becomes that item's operation error. */
export function asItemError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (isNodeError(error)) return error;
	return operationError(node, error instanceof Error ? error.message : String(error), { itemIndex });
}

/**
 * An item's error that is no answer from the API: a refused input, a setting, an answer the node cannot use.
 * It is a NodeApiError only so that RoutingNode passes it on as it is; with no HTTP code, no raw API message
 * and n8n's operation-error name, the editor and the stored run show it as that, not as an API refusal.
 */
class ItemOperationError extends NodeApiError {
	constructor(node: INode, message: string, options: { description?: string; itemIndex?: number }) {
		super(node, {}, { message, ...options });
		this.name = 'NodeOperationError';
	}
}

export function operationError(node: INode, message: string, options: { description?: string; itemIndex?: number } = {}): NodeApiError {
	return new ItemOperationError(node, message, options);
}

/**
 * The error an item fails with after the API refused it or could not be reached. Built from the parts we
 * choose, never from the HTTP client's error, which holds the request's Authorization header.
 */
export function apiError(
	node: INode,
	text: FailureText,
	details: { httpCode?: number; body?: unknown; secrets: string[]; itemIndex?: number },
): NodeApiError {
	const { itemIndex } = details;
	const response: JsonObject = { message: redact(text.message, details.secrets) };
	if (details.httpCode) response.httpCode = String(details.httpCode);
	if (details.body !== undefined && details.body !== '') response.body = redact(details.body, details.secrets) as JsonObject;
	const error = new NodeApiError(node, response, {
		message: redact(text.message, details.secrets),
		description: redact(text.description, details.secrets),
		httpCode: details.httpCode ? String(details.httpCode) : undefined,
		itemIndex,
	});
	if (details.httpCode) keepStatusThroughRewrap(error, details.httpCode);
	return error;
}

/**
 * Where RoutingNode reads an HTTP status when it re-wraps an error from another n8n-workflow copy. Hidden from
 * serialisation, so the stored run and logs show only the error's own fields.
 */
function keepStatusThroughRewrap(error: NodeApiError, status: number): void {
	Object.defineProperty(error, 'isAxiosError', { value: true, enumerable: false });
	Object.defineProperty(error, 'response', { value: { status }, enumerable: false });
}
