import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { authenticationParameter } from '../shared/auth';
import { jsonApiRequestDefaults, requestOptionsParameter } from '../shared/commonParameters';
import {
	externalSalesInvoiceFields,
	externalSalesInvoiceOperations,
	externalSalesInvoiceToolDescriptions,
} from './resources/externalSalesInvoice';
import {
	externalSalesInvoicePaymentFields,
	externalSalesInvoicePaymentOperations,
	externalSalesInvoicePaymentToolDescriptions,
} from './resources/externalSalesInvoicePayment';
import { searchAdministrations, searchInvoices } from './listSearch';
import { getFinancialAccounts, getLedgerAccounts } from './loadOptions';

export class Moneybird implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Moneybird',
		name: 'moneybird',
		icon: { light: 'file:moneybird.svg', dark: 'file:moneybird.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Record, list and delete payments on external sales invoices in Moneybird, and read the invoices',
		defaults: { name: 'Moneybird' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'moneybirdApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'moneybirdOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		requestDefaults: jsonApiRequestDefaults,
		properties: [
			authenticationParameter,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'External Sales Invoice', value: 'externalSalesInvoice' },
					{ name: 'External Sales Invoice Payment', value: 'externalSalesInvoicePayment' },
				],
				default: 'externalSalesInvoicePayment',
			},
			...externalSalesInvoiceOperations,
			...externalSalesInvoicePaymentOperations,
			...externalSalesInvoiceToolDescriptions,
			...externalSalesInvoicePaymentToolDescriptions,
			...externalSalesInvoiceFields,
			...externalSalesInvoicePaymentFields,
			requestOptionsParameter(' Creates always go one at a time, within Moneybird\'s rate limit.'),
		],
	};

	methods = {
		listSearch: { searchAdministrations, searchInvoices },
		loadOptions: { getFinancialAccounts, getLedgerAccounts },
	};
}
