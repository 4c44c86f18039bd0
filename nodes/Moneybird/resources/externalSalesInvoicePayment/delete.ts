import type { INodeProperties } from 'n8n-workflow';

import { show } from './common';

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
];
