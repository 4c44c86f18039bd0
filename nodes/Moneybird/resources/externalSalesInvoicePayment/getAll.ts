import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { show } from './common';
import { referenceSearchFromOption } from '../../locators';

/** postReceive of Get Many: one item per payment on the invoice read, up to the limit. */
export async function invoicePayments(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const payments = (items[0]?.json.payments ?? []) as IDataObject[];
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const kept = returnAll ? payments : payments.slice(0, this.getNodeParameter('limit', 50) as number);
	return kept.map((payment) => ({ json: payment }));
}

export const getAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(['getAll']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show(['getAll']).show, returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['getAll']),
		options: [referenceSearchFromOption],
	},
];
