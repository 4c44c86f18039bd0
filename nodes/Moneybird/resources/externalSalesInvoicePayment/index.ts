import type { INodeProperties } from 'n8n-workflow';

import { deletedRecord } from '../../../shared/deletedRecord';
import { runMoneybirdCreate } from '../../moneybirdApi';
import { MONEYBIRD_ID } from '../../records';
import { paymentPath, show } from './common';
import { createFields, createRequest } from './create';
import { deleteFields } from './delete';
import { administrationLocator, invoiceLocator } from './locators';

/**
 * External Sales Invoice Payment's operations. Each sets `paginate`, so its request goes through the node's
 * runner (see shared/routingAdapter.ts), and builds its request in preSend from its checked parameters.
 */
export const externalSalesInvoicePaymentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['externalSalesInvoicePayment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an external sales invoice payment',
				description: 'Record a payment on an external sales invoice',
				routing: {
					request: { method: 'POST' },
					send: { paginate: true, preSend: createRequest },
					// Reads the invoice first when "Skip If Already Recorded" is on (see recordedPayments.ts).
					operations: { pagination: runMoneybirdCreate },
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an external sales invoice payment',
				description: 'Remove a payment from an external sales invoice',
				routing: {
					request: { method: 'DELETE' },
					send: { paginate: true, preSend: [paymentPath(true)] },
					output: { postReceive: [deletedRecord('paymentId', MONEYBIRD_ID)] },
				},
			},
		],
		default: 'create',
	},
];

export const externalSalesInvoicePaymentFields: INodeProperties[] = [
	{ ...administrationLocator, displayOptions: show(['create', 'delete']) },
	{ ...invoiceLocator, displayOptions: show(['create', 'delete']) },
	...deleteFields,
	...createFields,
];
