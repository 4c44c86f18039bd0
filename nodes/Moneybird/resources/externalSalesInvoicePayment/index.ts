import type { INodeProperties } from 'n8n-workflow';

import { deletedRecord } from '../../../shared/deletedRecord';
import { runMoneybirdCreate } from '../../moneybirdApi';
import { MONEYBIRD_ID } from '../../records';
import { invoicePath } from '../../requestPaths';
import { show } from './common';
import { createFields, createRequest } from './create';
import { deleteFields } from './delete';
import { getAllFields, invoicePayments } from './getAll';
import { administrationLocator, invoiceLocator } from '../../locators';

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
					send: { paginate: true, preSend: [invoicePath('payment')] },
					output: { postReceive: [deletedRecord('paymentId', MONEYBIRD_ID)] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external sales invoice payments',
				description: 'List the payments recorded on an external sales invoice',
				routing: {
					request: { method: 'GET' },
					send: { paginate: true, preSend: [invoicePath('invoice')] },
					output: { postReceive: [invoicePayments] },
				},
			},
		],
		default: 'create',
	},
];

export const externalSalesInvoicePaymentFields: INodeProperties[] = [
	{ ...administrationLocator, displayOptions: show(['create', 'delete', 'getAll']) },
	{ ...invoiceLocator, displayOptions: show(['create', 'delete', 'getAll']) },
	...deleteFields,
	...createFields,
	...getAllFields,
];
