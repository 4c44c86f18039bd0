import type { INodeProperties } from 'n8n-workflow';

import { deletedRecord } from '../../../shared/deletedRecord';
import { throughRequestRunner } from '../../../shared/routingAdapter';
import { REPEATED_DELETE, toolDescriptions } from '../../../shared/toolCall';
import { runMoneybirdCreate, runMoneybirdDelete, runMoneybirdRequest } from '../../moneybirdApi';
import { MONEYBIRD_ID } from '../../records';
import { invoicePath } from '../../requestPaths';
import { show } from './common';
import { createFields, createRequest } from './create';
import { deleteFields } from './delete';
import { getAllFields, invoicePayments } from './getAll';
import { administrationLocator, invoiceLocator } from '../../locators';

/**
 * External Sales Invoice Payment's operations. Each sends its request through a request runner
 * (throughRequestRunner, see shared/routingAdapter.ts) and builds it in preSend from its checked parameters.
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
				action: 'Record a payment on an external sales invoice',
				description: 'Record a payment on an external sales invoice',
				// Reads the invoice first when "Skip If Already Recorded" is on (see recordedPayments.ts).
				routing: throughRequestRunner(runMoneybirdCreate, { request: { method: 'POST' }, preSend: createRequest }),
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a payment of an external sales invoice',
				description: 'Remove a payment from an external sales invoice',
				// As an AI tool, a payment already deleted is answered so (shared/toolCall.ts).
				routing: throughRequestRunner(runMoneybirdDelete, {
					request: { method: 'DELETE' },
					preSend: [invoicePath('payment')],
					postReceive: [deletedRecord('paymentId', MONEYBIRD_ID)],
				}),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external sales invoice payments',
				description: 'List the payments recorded on an external sales invoice',
				routing: throughRequestRunner(runMoneybirdRequest, {
					request: { method: 'GET' },
					preSend: [invoicePath('invoice')],
					postReceive: [invoicePayments],
				}),
			},
		],
		default: 'create',
	},
];

/** What an AI agent is told each operation does (shared/toolCall.ts), with what a repeated call does. */
export const externalSalesInvoicePaymentToolDescriptions = toolDescriptions(externalSalesInvoicePaymentOperations[0], 'Moneybird', {
	create:
		'A repeated call with the same transaction identifier, or without one for the same date and amount, records nothing and returns the payment already recorded (alreadyRecorded: true). For a second, separate payment of the same amount on the same day, pass a different transaction identifier.',
	delete: REPEATED_DELETE,
});

export const externalSalesInvoicePaymentFields: INodeProperties[] = [
	{ ...administrationLocator, displayOptions: show(['create', 'delete', 'getAll']) },
	{ ...invoiceLocator, displayOptions: show(['create', 'delete', 'getAll']) },
	...deleteFields,
	...createFields,
	...getAllFields,
];
