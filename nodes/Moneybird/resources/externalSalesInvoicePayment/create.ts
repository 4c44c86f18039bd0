import type { IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { parseAmount } from '../../../shared/amounts';
import type { AmountFormat } from '../../../shared/amounts';
import { checkedFields } from '../../../shared/checkedFields';
import { amountFormatOption } from '../../../shared/commonParameters';
import { optional, toDate } from '../../../shared/validation';
import { MAX_MONEY_CENTS } from '../../records';
import { invoicePath, moneybirdId } from '../../requestPaths';
import { show } from './common';
import { referenceSearchFromOption } from '../../locators';
import { MANUAL_PAYMENT_ACTIONS, manualPaymentAction } from './manualPaymentAction';

/**
 * Exact decimal text with two decimals, in the money schema's range; negative amounts (money paid back) are
 * allowed, as there. Zero is refused (parseAmount's default): a payment of nothing is a row to leave out.
 */
const amount = (value: unknown, context: IExecuteSingleFunctions) =>
	parseAmount(value, {
		format: context.getNodeParameter('options.amountFormat', 'auto') as AmountFormat,
		minCents: -MAX_MONEY_CENTS,
		maxCents: MAX_MONEY_CENTS,
	}).text;

/**
 * Create's request: the payment from its checked parameters, then the invoice's payments path. The row's own
 * values are checked first, so a bad amount is reported as such even when finding the invoice By Reference would
 * fail (the API unreachable), and costs no request.
 */
export const createRequest = [
	checkedFields([
		{ parameter: 'paymentDate', label: 'Payment Date', check: toDate, body: 'payment.payment_date' },
		{ parameter: 'amount', label: 'Amount', check: amount, body: 'payment.price' },
		{ parameter: 'additionalFields.priceBase', label: 'Amount in Base Currency', check: optional(amount), body: 'payment.price_base' },
		{
			parameter: 'additionalFields.financialAccountId',
			label: 'Financial Account',
			check: optional(moneybirdId),
			body: 'payment.financial_account_id',
		},
		{
			parameter: 'additionalFields.financialMutationId',
			label: 'Financial Mutation ID',
			check: optional(moneybirdId),
			body: 'payment.financial_mutation_id',
		},
		{ parameter: 'additionalFields.invoiceId', label: 'Invoice ID', check: optional(moneybirdId), body: 'payment.invoice_id' },
		{
			parameter: 'additionalFields.ledgerAccountId',
			label: 'Ledger Account',
			check: optional(moneybirdId),
			body: 'payment.ledger_account_id',
		},
		{
			parameter: 'additionalFields.manualPaymentAction',
			label: 'Manual Payment Action',
			check: optional(manualPaymentAction),
			body: 'payment.manual_payment_action',
		},
		{
			parameter: 'additionalFields.transactionIdentifier',
			label: 'Transaction Identifier',
			check: optional(String),
			body: 'payment.transaction_identifier',
		},
	]),
	invoicePath('payments'),
];

export const createFields: INodeProperties[] = [
	{
		displayName: 'Payment Date',
		name: 'paymentDate',
		type: 'string',
		required: true,
		default: "={{ $today.toFormat('yyyy-MM-dd') }}",
		placeholder: '2025-02-28',
		description: 'The date the payment was made, as YYYY-MM-DD',
		displayOptions: show(['create']),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '121.00',
		description:
			"Amount paid in the invoice's currency, as decimal text, e.g. 121.00 or 121,00; sent as exact text, never rounded. Negative amounts record money paid back.",
		displayOptions: show(['create']),
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
			},
			{
				displayName: 'Financial Mutation ID',
				name: 'financialMutationId',
				type: 'string',
				default: '',
				placeholder: '458026357060000001',
				description: 'ID (as text, up to 18 digits) of the bank transaction in Moneybird that this payment matches',
			},
			{
				displayName: 'Invoice ID',
				name: 'invoiceId',
				type: 'string',
				default: '',
				placeholder: '458026357020000002',
				description:
					'ID (as text, up to 18 digits) of the document to settle this payment against, such as a credit invoice (for Invoices Settlement)',
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
			},
			{
				displayName: 'Manual Payment Action',
				name: 'manualPaymentAction',
				type: 'options',
				options: MANUAL_PAYMENT_ACTIONS.map(({ name, value, description }) => ({ name, value, description })),
				default: 'payment_without_proof',
				description: 'How the payment was settled, when not by a bank transaction that Moneybird matches itself',
			},
			{
				displayName: 'Transaction Identifier',
				name: 'transactionIdentifier',
				type: 'string',
				default: '',
				placeholder: 'PSP-2025-000123',
				description:
					'Reference of the transaction as text, e.g. a bank or payment provider ID; Moneybird uses it to match bank lines. With Skip If Already Recorded (on by default for the AI tool), a second, separate payment of the same amount on the same day needs an identifier of its own.',
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
			referenceSearchFromOption,
			{
				displayName: 'Refuse Overpayment',
				name: 'refuseOverpayment',
				type: 'boolean',
				default: true,
				description:
					"Whether to refuse an item whose amount is more than is left to pay on the invoice (counting payments recorded earlier in this run), before it is sent. The invoice is read once per run unless the run already read or listed it. Negative amounts (money paid back) are never refused.",
			},
			{
				displayName: 'Skip If Already Recorded',
				name: 'skipIfAlreadyRecorded',
				type: 'boolean',
				default: true,
				description:
					'Whether to look at the payments already on the invoice first and record nothing when this one is there (on by default when the node is used as an AI tool): the same transaction identifier, or, when either has none, the same payment date and amount (to the cent). The payment found is output with alreadyRecorded true; a payment recorded now has alreadyRecorded false. So a sheet can be run again safely, and a row repeated within one run is recorded once. Two equal payments on one day need different transaction identifiers. An identifier stands for one payment: a row whose identifier is recorded with another date or amount, or by this run on another invoice, is refused, not skipped.',
			},
		],
	},
];
