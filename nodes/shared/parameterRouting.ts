import type { IExecuteSingleFunctions, IHttpRequestOptions, INodePropertyRouting } from 'n8n-workflow';

import { checkParameter } from './errors';
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
 * Routing for a parameter whose value is checked, and converted, before it is sent. The check runs as a
 * preSend of the item, so a bad value stops that item (and, without "Continue On Fail", the run) before
 * any request goes out, with an error naming the parameter, the value and the item.
 */
export function sendChecked(parameter: string, label: string, check: ValueCheck, target: Target): INodePropertyRouting {
	return {
		send: {
			preSend: [
				inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
					const value = checkParameter(this, parameter, label, (raw) => check(raw, this));
					if (target.body) setPath((options.body ??= {}) as Record<string, unknown>, target.body, value);
					if (target.query) setPath((options.qs ??= {}) as Record<string, unknown>, target.query, value);
					if (target.url) options.url = target.url(String(value));
					return options;
				}),
			],
		},
	};
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = object;
	for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
	node[keys[keys.length - 1]] = value;
}
