import type { IDisplayOptions, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { AMOUNT_FORMAT_NAMES } from './amounts';

/** How amounts written as text are read (see amounts.ts); chosen once per node, never guessed per row. */
export const amountFormatOption: INodeProperties = {
	displayName: 'Amount Format',
	name: 'amountFormat',
	type: 'options',
	options: [
		{
			name: AMOUNT_FORMAT_NAMES.auto,
			value: 'auto',
			description:
				'One point or comma is the decimal separator. Refused: thousands separators, and a point or comma followed by exactly three digits (1,000 or 2.500 could be thousands or decimals); choose Point Decimal or Comma Decimal for those.',
		},
		{
			name: AMOUNT_FORMAT_NAMES.pointDecimal,
			value: 'pointDecimal',
			description:
				'A point before the decimals; commas, spaces or apostrophes (one kind) only between groups of three digits, so 1,000 is 1000.00',
		},
		{
			name: AMOUNT_FORMAT_NAMES.commaDecimal,
			value: 'commaDecimal',
			description: 'A comma before the decimals; points or spaces (one kind) only between groups of three digits, so 1.000 is 1000.00',
		},
	],
	default: 'auto',
	description:
		'How amounts given as text are read; numbers are read as they are. An amount is read exactly or refused: decimals beyond cents must be zeros (never rounded), and zero is refused.',
};

/**
 * Node setting, merged by n8n with its own request options (batching, proxy, timeout). `parallelNote` ends the
 * Requests in Parallel description with what the node's service keeps one at a time, if anything.
 */
export const requestOptionsParameter = (parallelNote = ''): INodeProperties => ({
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Rate Limit Wait (Seconds)',
			name: 'maxRateLimitWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'How long one item may wait in total for the API\'s rate limit, over all its requests: after a 429 (too many requests), or because an earlier answer said the limit is used up. A wait that would pass this is not started: the item fails, saying so.',
		},
		{
			displayName: 'Requests in Parallel',
			name: 'requestsInParallel',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 1,
			description:
				'How many requests may be under way at once. Items still start in input order, after every item was checked; above 1, a failed request stops the items not yet started, while those already under way finish.' +
				parallelNote,
		},
	],
});

/**
 * Both APIs speak JSON. The base URL is not here: the request runner takes it from the credential read once per
 * run, rather than n8n evaluating an expression for it for every item.
 */
export const jsonApiRequestDefaults: INodeTypeDescription['requestDefaults'] = {
	headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
	json: true,
};

/**
 * Get Many's Return All and Limit, shown where `show` says. The limit reaches the operation's runner as
 * `maxResults`, which stops paging once it is reached.
 */
export function returnAllOrLimit(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
			routing: { output: { maxResults: '={{$value}}' } },
		},
	];
}
