import type { INodeProperties } from 'n8n-workflow';

import { checkedFields } from '../../../shared/checkedFields';
import { includeOption, kantataId, show } from './common';

/** Get's and Delete's request URL, from the checked Payment ID. */
export const paymentUrlRequest = checkedFields([
	{ parameter: 'paymentId', label: 'Payment ID', check: kantataId, url: (id) => `/external_payments/${id}.json` },
]);

export const getOrDeleteFields: INodeProperties[] = [
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123456',
		description: 'ID of the external payment, as text of digits, e.g. 123456',
		displayOptions: show(['get', 'delete']),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['get']),
		options: [includeOption],
	},
];
