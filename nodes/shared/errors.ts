import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteSingleFunctions, INode, JsonObject } from 'n8n-workflow';

import { AmountError } from './amounts';
import { InvalidValue } from './validation';

/*
 * How an item's error leaves the package. RoutingNode (n8n-core 1.x and 2.x) keeps a rejected item's error
 * only when it is an instance of the engine's own NodeApiError; anything else it wraps as an API error with
 * the code "none", taking the status from `isAxiosError` and `response.status`. The engine's n8n-workflow can
 * be another copy than the package's (another community package may put the newest one beside this one), so
 * nothing here relies on `instanceof` across copies: errors are shaped to read right either way.
 */

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

/** An error about one input item's parameter, raised before anything is sent for it. */
export function inputError(context: IExecuteSingleFunctions, label: string, reason: string): NodeApiError {
	const itemIndex = context.getItemIndex();
	return operationError(context.getNode(), `Invalid ${label} in item ${itemIndex}: ${reason}`, {
		description: `Nothing was sent for item ${itemIndex}. Correct "${label}" in that item and run it again.`,
		itemIndex,
	});
}

/** Runs a check on a parameter's value; a value it refuses becomes an error naming the parameter, value and item. */
export function checkValue<T>(
	context: IExecuteSingleFunctions,
	label: string,
	value: unknown,
	check: (value: unknown, context: IExecuteSingleFunctions) => T,
): T {
	try {
		return check(value, context);
	} catch (error) {
		if (error instanceof InvalidValue || error instanceof AmountError) {
			throw inputError(context, label, error.message);
		}
		throw asNodeError(context.getNode(), error);
	}
}

/** Reads a parameter of the current item (resource locators give their plain value) and runs its check. */
export function checkParameter<T>(
	context: IExecuteSingleFunctions,
	name: string,
	label: string,
	check: (value: unknown, context: IExecuteSingleFunctions) => T,
): T {
	let value: unknown;
	try {
		value = context.getNodeParameter(name, undefined, { extractValue: true });
	} catch (error) {
		// n8n could not read it, e.g. a URL that does not match the resource locator's pattern.
		throw inputError(context, label, (error as Error).message);
	}
	return checkValue(context, label, value, check);
}

/** What went wrong with one request, in the API's own words. */
export interface FailureText {
	message: string;
	description?: string;
}

/** Credential values that must never be shown: tokens, secrets, passwords, at any depth. */
export function secretsOf(credentials: IDataObject | undefined): string[] {
	const secrets: string[] = [];
	const visit = (value: unknown, key: string) => {
		if (typeof value === 'string') {
			if (/token|secret|password/i.test(key) && value.length >= 4) secrets.push(value);
		} else if (value && typeof value === 'object') {
			for (const [childKey, child] of Object.entries(value)) visit(child, /token|secret/i.test(key) ? key : childKey);
		}
	};
	visit(credentials, '');
	return secrets;
}

export function redact<T>(value: T, secrets: string[]): T {
	if (!secrets.length || value === undefined || value === null) return value;
	if (typeof value === 'string') {
		return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), value as string) as T;
	}
	if (typeof value === 'object') return JSON.parse(redact(JSON.stringify(value), secrets)) as T;
	return value;
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

/** What one failed HTTP exchange came to: an answer with a status, or a network error code. */
export interface HttpFailure {
	status?: number;
	headers: Record<string, unknown>;
	body?: unknown;
	code?: string;
}

/** n8n wraps the HTTP client's error; its `cause` holds the response, if there was one. */
export function httpFailureOf(error: unknown): HttpFailure {
	const outer = error as { cause?: unknown; code?: string; httpCode?: string | null; context?: { data?: unknown } };
	const inner = (outer.cause ?? outer) as { code?: string; response?: { status?: number; headers?: object; data?: unknown } };
	const response = inner.response;
	if (response && typeof response.status === 'number') {
		return { status: response.status, headers: (response.headers ?? {}) as Record<string, unknown>, body: response.data };
	}
	// n8n-workflow 1.x's NodeApiError loses `cause` (a class field re-declared after super()); it keeps the status
	// or network code in `httpCode` and an object body in `context.data`, so those are read instead.
	const kept = outer.context?.data;
	const keptCode = outer.httpCode && !/^\d{3}$/.test(outer.httpCode) ? outer.httpCode : undefined;
	const code = inner.code ?? outer.code ?? keptCode;
	if (!code && outer.httpCode && /^\d{3}$/.test(outer.httpCode)) return { status: Number(outer.httpCode), headers: {}, body: kept };
	return { headers: {}, code: code ?? 'UNKNOWN' };
}
