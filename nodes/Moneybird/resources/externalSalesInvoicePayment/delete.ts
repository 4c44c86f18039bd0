import type { INodeProperties } from 'n8n-workflow';

import { show } from './common';
import { referenceSearchFromOption } from '../../locators';

export const deleteFields: INodeProperties[] = [
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '458026357030000001',
		description: 'ID of the payment to delete, as text (Moneybird IDs have 18 digits)',
		displayOptions: show(['delete']),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['delete']),
		options: [referenceSearchFromOption],
	},
];
