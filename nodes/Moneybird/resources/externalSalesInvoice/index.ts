import type { INodeProperties } from 'n8n-workflow';

import { administrationLocator, invoiceLocator, referenceSearchFromOption } from '../../locators';
import { throughRequestRunner } from '../../../shared/routingAdapter';
import { toolDescriptions } from '../../../shared/toolCall';
import { runMoneybirdList, runMoneybirdRequest } from '../../moneybirdApi';
import { invoicePath } from '../../requestPaths';
import { getAllFields, getAllRequest, withReference } from './getAll';

const show = (operation: string[]) => ({ show: { resource: ['externalSalesInvoice'], operation } });

/** External Sales Invoice's operations: reading invoices and what is paid on them. */
export const externalSalesInvoiceOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['externalSalesInvoice'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an external sales invoice',
				description: 'Get an external sales invoice, with its payments',
				routing: throughRequestRunner(runMoneybirdRequest, { request: { method: 'GET' }, preSend: [invoicePath('invoice')] }),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external sales invoices',
				description: "List an administration's external sales invoices",
				routing: throughRequestRunner(runMoneybirdList, {
					request: { method: 'GET' },
					preSend: [getAllRequest],
					postReceive: [withReference],
				}),
			},
		],
		default: 'get',
	},
];

/** What an AI agent is told each operation does (shared/toolCall.ts). */
export const externalSalesInvoiceToolDescriptions = toolDescriptions(externalSalesInvoiceOperations[0], 'Moneybird');

export const externalSalesInvoiceFields: INodeProperties[] = [
	{ ...administrationLocator, displayOptions: show(['get', 'getAll']) },
	{ ...invoiceLocator, displayOptions: show(['get']) },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['get']),
		options: [referenceSearchFromOption],
	},
	...getAllFields,
];
