import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { parseAmount } from '../../shared/amounts';
import type { AmountFormat } from '../../shared/amounts';
import { amountFormatOption } from '../../shared/commonParameters';
import { deletedRecord } from '../../shared/deletedRecord';
import { checkParameter } from '../../shared/errors';
import { inputCheck } from '../../shared/itemQueue';
import { sendChecked } from '../../shared/parameterRouting';
import { InvalidValue, isEmpty, optional, toDate, toId } from '../../shared/validation';
import { MAX_MONEY_CENTS, MONEYBIRD_ID, runMoneybirdCreate } from '../moneybirdApi';

const show = (operation: string[]) => ({ show: { resource: ['externalSalesInvoicePayment'], operation } });

const moneybirdId = (value: unknown) => toId(value, MONEYBIRD_ID);

/** Exact decimal text with two decimals, in the money schema's range; negative amounts are allowed, as there. */
const amount = (value: unknown, context: IExecuteSingleFunctions) =>
	parseAmount(value, {
		format: context.getNodeParameter('options.amountFormat', 'auto') as AmountFormat,
		minCents: -MAX_MONEY_CENTS,
		maxCents: MAX_MONEY_CENTS,
	}).text;

/**
 * preSend of each operation: the request path, built only from IDs that passed `toId`, so nothing but digits
 * reaches it. One check for all of them, since one path holds them all.
 */
function paymentPath(withPaymentId: boolean) {
	return inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		const administration = checkParameter(this, 'administration', 'Administration', moneybirdId);
		const invoice = checkParameter(this, 'invoice', 'External Sales Invoice', moneybirdId);
		const payments = `/${administration}/external_sales_invoices/${invoice}/payments`;
		options.url = withPaymentId
			? `${payments}/${checkParameter(this, 'paymentId', 'Payment ID', moneybirdId)}.json`
			: `${payments}.json`;
		return options;
	});
}

interface ManualPaymentAction {
	name: string;
	value: string;
	description: string;
	/** The Additional Fields entry Moneybird needs with this action. */
	needs?: { parameter: string; label: string; field: string };
}

const FINANCIAL_ACCOUNT = { parameter: 'financialAccountId', label: 'Financial Account', field: 'financial_account_id' };

const MANUAL_PAYMENT_ACTIONS: ManualPaymentAction[] = [
	{
		name: 'Balance Settlement',
		value: 'balance_settlement',
		description: 'Settle against the balance of a ledger account. Needs Ledger Account.',
		needs: { parameter: 'ledgerAccountId', label: 'Ledger Account', field: 'ledger_account_id' },
	},
	{
		name: 'Bank Transfer',
		value: 'bank_transfer',
		description: 'Paid by a bank transaction already in Moneybird. Needs Financial Mutation ID.',
		needs: { parameter: 'financialMutationId', label: 'Financial Mutation ID', field: 'financial_mutation_id' },
	},
	{
		name: 'Cash Payment',
		value: 'cash_payment',
		description: 'Paid in cash. Needs Financial Account (the cash register).',
		needs: FINANCIAL_ACCOUNT,
	},
	{
		name: 'Invoices Settlement',
		value: 'invoices_settlement',
		description: 'Settle against another document, such as a credit invoice. Needs Invoice ID.',
		needs: { parameter: 'invoiceId', label: 'Invoice ID', field: 'invoice_id' },
	},
	{
		name: 'Payment Without Proof',
		value: 'payment_without_proof',
		description: 'Paid, without a bank transaction to show for it. Needs no other field.',
	},
	{
		name: 'Private Payment',
		value: 'private_payment',
		description: 'Paid from or into a private account. Needs Financial Account.',
		needs: FINANCIAL_ACCOUNT,
	},
	{
		name: 'Rounding Error',
		value: 'rounding_error',
		description: 'Write off a small difference. Needs no other field.',
	},
];

/** The action, refused when it is not one Moneybird knows or when the field it needs is not set. */
function manualPaymentAction(value: unknown, context: IExecuteSingleFunctions): string {
	const action = MANUAL_PAYMENT_ACTIONS.find((known) => known.value === value);
	if (!action) {
		throw new InvalidValue(
			`"${String(value)}" is not one of ${MANUAL_PAYMENT_ACTIONS.map((known) => known.value).join(', ')}`,
		);
	}
	const companion = action.needs && context.getNodeParameter(`additionalFields.${action.needs.parameter}`, '');
	if (action.needs && isEmpty(companion)) {
		throw new InvalidValue(
			`${action.name} (${action.value}) needs ${action.needs.label} (${action.needs.field}), which is not set; add it under Additional Fields or choose another action`,
		);
	}
	return action.value;
}

const invoiceLocator: INodeProperties = {
	displayName: 'External Sales Invoice',
	name: 'invoice',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The external sales invoice the payment is for. By ID: its Moneybird ID as text (up to 18 digits).',
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
	],
};

const administrationLocator: INodeProperties = {
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
					send: { paginate: true, preSend: [paymentPath(false)] },
					// Reads the invoice first when "Skip If Already Recorded" is on (see skipIfAlreadyRecorded).
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
	// Create, Delete
	{ ...administrationLocator, displayOptions: show(['create', 'delete']) },
	{ ...invoiceLocator, displayOptions: show(['create', 'delete']) },

	// Delete
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

	// Create
	{
		displayName: 'Payment Date',
		name: 'paymentDate',
		type: 'string',
		required: true,
		default: "={{ $today.toFormat('yyyy-MM-dd') }}",
		placeholder: '2025-02-28',
		description: 'The date the payment was made, as YYYY-MM-DD',
		displayOptions: show(['create']),
		routing: sendChecked('paymentDate', 'Payment Date', toDate, { body: 'payment.payment_date' }),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '121.00',
		description:
			"Amount paid in the invoice's currency, e.g. 121.00 or 121,00; sent as exact text, never rounded. Negative amounts record money paid back.",
		displayOptions: show(['create']),
		routing: sendChecked('amount', 'Amount', amount, { body: 'payment.price' }),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{
				displayName: 'Amount in Base Currency',
				name: 'priceBase',
				type: 'string',
				default: '',
				placeholder: '229.50',
				description:
					"The amount in the administration's own currency, e.g. 229.50; needed when the invoice is in another currency",
				routing: sendChecked('additionalFields.priceBase', 'Amount in Base Currency', optional(amount), { body: 'payment.price_base' }),
			},
			{
				displayName: 'Financial Account Name or ID',
				name: 'financialAccountId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getFinancialAccounts', loadOptionsDependsOn: ['administration.value'] },
				default: '',
				// The account the money arrived on (bank account or cash register).
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				routing: sendChecked('additionalFields.financialAccountId', 'Financial Account', optional(moneybirdId), {
					body: 'payment.financial_account_id',
				}),
			},
			{
				displayName: 'Financial Mutation ID',
				name: 'financialMutationId',
				type: 'string',
				default: '',
				placeholder: '458026357060000001',
				description: 'ID (as text, up to 18 digits) of the bank transaction in Moneybird that this payment matches',
				routing: sendChecked('additionalFields.financialMutationId', 'Financial Mutation ID', optional(moneybirdId), {
					body: 'payment.financial_mutation_id',
				}),
			},
			{
				displayName: 'Invoice ID',
				name: 'invoiceId',
				type: 'string',
				default: '',
				placeholder: '458026357020000002',
				description:
					'ID (as text, up to 18 digits) of the document to settle this payment against, such as a credit invoice (for Invoices Settlement)',
				routing: sendChecked('additionalFields.invoiceId', 'Invoice ID', optional(moneybirdId), { body: 'payment.invoice_id' }),
			},
			{
				displayName: 'Ledger Account Name or ID',
				name: 'ledgerAccountId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getLedgerAccounts', loadOptionsDependsOn: ['administration.value'] },
				default: '',
				// The ledger account the payment is booked to.
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				routing: sendChecked('additionalFields.ledgerAccountId', 'Ledger Account', optional(moneybirdId), {
					body: 'payment.ledger_account_id',
				}),
			},
			{
				displayName: 'Manual Payment Action',
				name: 'manualPaymentAction',
				type: 'options',
				options: MANUAL_PAYMENT_ACTIONS.map(({ name, value, description }) => ({ name, value, description })),
				default: 'payment_without_proof',
				description: 'How the payment was settled, when not by a bank transaction that Moneybird matches itself',
				routing: sendChecked('additionalFields.manualPaymentAction', 'Manual Payment Action', optional(manualPaymentAction), {
					body: 'payment.manual_payment_action',
				}),
			},
			{
				displayName: 'Transaction Identifier',
				name: 'transactionIdentifier',
				type: 'string',
				default: '',
				placeholder: 'PSP-2025-000123',
				description: 'Reference of the transaction, e.g. a bank or payment provider ID; Moneybird uses it to match bank lines',
				routing: sendChecked('additionalFields.transactionIdentifier', 'Transaction Identifier', optional(String), {
					body: 'payment.transaction_identifier',
				}),
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['create']),
		options: [
			amountFormatOption,
			{
				displayName: 'Skip If Already Recorded',
				name: 'skipIfAlreadyRecorded',
				type: 'boolean',
				default: false,
				description:
					'Whether to look at the payments already on the invoice first and record nothing when this one is there: the same transaction identifier, or, when either has none, the same payment date and amount (to the cent). The payment found is output with alreadyRecorded true; a payment recorded now has alreadyRecorded false. So a sheet can be run again safely, and a row repeated within one run is recorded once. Two equal payments on one day need different transaction identifiers.',
			},
		],
	},
];
