import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/commonParameters';
import { show } from './common';
import { referenceSearchFromOption } from '../../locators';

/** postReceive of Get Many: one item per payment on the invoice read (one answer, so the limit is applied here). */
export async function invoicePayments(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const payments = (items[0]?.json.payments ?? []) as IDataObject[];
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const kept = returnAll ? payments : payments.slice(0, this.getNodeParameter('limit', 50) as number);
	return kept.map((payment) => ({ json: payment }));
}

export const getAllFields: INodeProperties[] = [
	...returnAllOrLimit(show(['getAll']).show),
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
