import type { IExecuteSingleFunctions, IHttpRequestOptions, INodePropertyRouting } from 'n8n-workflow';

import { checkParameter, checkValue } from './errors';
import { inputCheck } from './itemQueue';

/** Turns a raw parameter value into what the API is sent; throws InvalidValue or AmountError to refuse it. */
export type ValueCheck = (value: unknown, context: IExecuteSingleFunctions) => unknown;

interface Target {
	/** Where the checked value goes: a dotted property of the body or the query string, or a URL built from it. */
	body?: string;
	query?: string;
	url?: (value: string) => string;
}

/**
 * Routing for a parameter whose value is checked, and converted, before it is sent. RoutingNode evaluates the
 * parameter once and puts it where it goes; the check then runs as a preSend of the item and replaces it
 * with what the API is sent, so a bad value stops that item (and, without "Continue On Fail", the run)
 * before any request goes out, with an error naming the parameter, the value and the item. A value that goes
 * into the URL is read by the check itself, since routing has no place to put it.
 */
export function sendChecked(parameter: string, label: string, check: ValueCheck, target: Target): INodePropertyRouting {
	const placed = target.body
		? { type: 'body' as const, property: target.body }
		: target.query
			? { type: 'query' as const, property: target.query }
			: undefined;
	return {
		send: {
			...placed,
			preSend: [
				inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
					if (placed) {
						const container = ((placed.type === 'body' ? options.body : options.qs) ?? {}) as Record<string, unknown>;
						setPath(container, placed.property, checkValue(this, label, getPath(container, placed.property), check));
					} else if (target.url) {
						options.url = target.url(String(checkParameter(this, parameter, label, check)));
					}
					return options;
				}),
			],
		},
	};
}

function getPath(object: Record<string, unknown>, path: string): unknown {
	return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = object;
	for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
	if (value === undefined) delete node[keys[keys.length - 1]];
	else node[keys[keys.length - 1]] = value;
}
