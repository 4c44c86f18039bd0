import type { INodeProperties } from 'n8n-workflow';

/* The records every operation of this resource names: the administration and the external sales invoice. */

export const invoiceLocator: INodeProperties = {
	displayName: 'External Sales Invoice',
	name: 'invoice',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The external sales invoice. By ID: its Moneybird ID as text (up to 18 digits). By Reference: the invoice's reference (invoice number), matched exactly among the administration's invoices.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an unpaid invoice...',
			typeOptions: { searchListMethod: 'searchInvoices', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '458026357020000001',
			validation: [
				{ type: 'regex', properties: { regex: '^\\d{1,18}$', errorMessage: 'Not a valid Moneybird invoice ID (up to 18 digits)' } },
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://moneybird.com/458026356994787289/external_sales_invoices/458026357020000001',
			extractValue: { type: 'regex', regex: 'https://(?:www\\.)?moneybird\\.com/\\d+/external_sales_invoices/(\\d+)' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https://(?:www\\.)?moneybird\\.com/\\d+/external_sales_invoices/(\\d+).*',
						errorMessage: 'Not a Moneybird external sales invoice URL',
					},
				},
			],
		},
		{
			displayName: 'By Reference',
			name: 'reference',
			type: 'string',
			placeholder: 'EXT-2026-001',
		},
	],
};

/** For an invoice given By Reference: how far back its invoices are searched (see invoiceByReference.ts). */
export const referenceSearchFromOption: INodeProperties = {
	displayName: 'Reference Search From',
	name: 'referenceSearchFrom',
	type: 'string',
	default: '',
	placeholder: '2024-01-01',
	description:
		'For an External Sales Invoice given By Reference: invoices dated from this date (YYYY-MM-DD) to the end of next year are searched, once per run. Empty: from 1 January of last year.',
};

export const administrationLocator: INodeProperties = {
	displayName: 'Administration',
	name: 'administration',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Moneybird administration the invoice is in. By ID: its Moneybird ID as text (up to 18 digits).',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an administration...',
			typeOptions: { searchListMethod: 'searchAdministrations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '458026356994787289',
			validation: [
				{ type: 'regex', properties: { regex: '^\\d{1,18}$', errorMessage: 'Not a valid Moneybird administration ID (up to 18 digits)' } },
			],
		},
	],
};
