import type { IExecuteSingleFunctions, IHttpRequestOptions, PreSendAction } from 'n8n-workflow';

import { inputCheck } from './routingAdapter';
import { checkParameter } from './validation';
import type { ValueCheck } from './validation';

/** One parameter an operation sends: read, checked (validation.ts), and put where the API expects it. */
export interface CheckedField {
	parameter: string;
	label: string;
	check: ValueCheck;
	/** Where the checked value goes: a dotted property of the body or the query string, or the URL built from it. */
	body?: string;
	query?: string;
	url?: (value: string) => string;
	/** Only when this holds (the parameter is shown for the chosen options); always when absent. */
	when?: (context: IExecuteSingleFunctions) => boolean;
}

/**
 * An operation's preSend that builds its request from its checked parameters, each read once. A bad value stops
 * that item (and, without "Continue On Fail", the run) before any request goes out, with an error naming the
 * parameter, the value and the item; an empty optional value (`optional` checks) sends nothing for it.
 *
 * Parameters are read here rather than through property `routing`, because RoutingNode evaluates a property
 * with routing in each of its passes over an item (twice on n8n 2.x), the user's expressions with it.
 */
export function checkedFields(fields: CheckedField[]): PreSendAction {
	return inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		for (const field of fields) {
			if (field.when && !field.when(this)) continue;
			const value = checkParameter(this, field.parameter, field.label, field.check);
			if (field.url) options.url = field.url(String(value));
			else if (field.body) setPath((options.body ??= {}) as Record<string, unknown>, field.body, value);
			else if (field.query) setPath((options.qs ??= {}) as Record<string, unknown>, field.query, value);
		}
		return options;
	});
}

/** Sets a dotted property; `undefined` (an optional value not set) leaves it out. */
function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
	if (value === undefined) return;
	const keys = path.split('.');
	let node = object;
	for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
	node[keys[keys.length - 1]] = value;
}
