import type { IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { invoiceLocator, projectLocator } from '../../../Kantata/locator';
import { parseAmount } from '../../../shared/amounts';
import type { AmountFormat } from '../../../shared/amounts';
import { checkedFields } from '../../../shared/checkedFields';
import { amountFormatOption } from '../../../shared/commonParameters';
import { toText } from '../../../shared/validation';
import { kantataId, show } from './common';

/** Kantata's largest amount here: one billion in currency units, far inside exact integer cents. */
const MAX_CENTS = 100_000_000_000n;

const recordFor = (value: string) => (context: IExecuteSingleFunctions) => context.getNodeParameter('recordFor', 'invoice') === value;

/** Kantata OX takes only amounts above zero ("Amount in cents must be greater than 0"). */
const amountInCents = (value: unknown, context: IExecuteSingleFunctions) =>
	Number(
		parseAmount(value, {
			format: context.getNodeParameter('options.amountFormat', 'auto') as AmountFormat,
			minCents: 1n,
			maxCents: MAX_CENTS,
		}).cents,
	);

/** Create's request body, from its checked parameters. */
export const createRequest = checkedFields([
	{ parameter: 'project', label: 'Project', check: kantataId, body: 'external_payment.workspace_id' },
	{ parameter: 'invoice', label: 'Invoice', check: kantataId, body: 'external_payment.invoice_id', when: recordFor('invoice') },
	{ parameter: 'amount', label: 'Amount', check: amountInCents, body: 'external_payment.amount_in_cents', when: recordFor('amount') },
	{ parameter: 'message', label: 'Message', check: (value) => toText(value, 255) || undefined, body: 'external_payment.message' },
]);

export const createFields: INodeProperties[] = [
	{
		...projectLocator(),
		required: true,
		description: 'The project (workspace) the payment is recorded in. By ID: its Kantata OX ID as digits.',
		displayOptions: show(['create']),
	},
	{
		displayName: 'Record For',
		name: 'recordFor',
		type: 'options',
		// It decides which fields exist, and n8n decides that from the written value, not an expression's result.
		noDataExpression: true,
		options: [
			{ name: 'Invoice', value: 'invoice', description: "Pay an invoice: the payment takes the invoice's amount" },
			{ name: 'Amount', value: 'amount', description: 'Record an amount not tied to an invoice' },
		],
		default: 'invoice',
		displayOptions: show(['create']),
	},
	{
		...invoiceLocator(),
		required: true,
		description:
			'A pending (not draft) invoice of this project alone; the payment takes its amount. By ID: its Kantata OX ID as digits.',
		displayOptions: show(['create'], { recordFor: ['invoice'] }),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1050.25',
		description: 'Amount in the project currency, as decimal text, e.g. 1050.25; sent to Kantata OX as exact cents',
		displayOptions: show(['create'], { recordFor: ['amount'] }),
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		description: 'A note on the payment, at most 255 characters',
		displayOptions: show(['create']),
	},
	{
		displayName: 'Payment Key',
		name: 'paymentKey',
		type: 'string',
		default: '',
		placeholder: 'BANK-2025-000123',
		description:
			'What tells this payment from the others in the project, mapped from the row, e.g. a bank transaction ID or the row\'s own ID. Kept at the end of the message as [n8n-key:KEY]; needed by Skip If Already Recorded. At most 100 characters, no brackets. Used as an AI tool without a key, the key is the invoice or amount and the day (e.g. agent-2025-03-01-invoice-123): a second, separate payment of the same amount on the same day needs a key of its own.',
		displayOptions: show(['create']),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['create']),
		options: [
			{ ...amountFormatOption, displayOptions: { show: { '/recordFor': ['amount'] } } },
			{
				displayName: 'Skip If Already Recorded',
				name: 'skipIfAlreadyRecorded',
				type: 'boolean',
				// Added only to be switched on.
				default: true,
				description:
					"Whether to record nothing when the project already has a payment with this item's Payment Key (on by default when the node is used as an AI tool), and output that payment with alreadyRecorded true instead (a payment recorded now has alreadyRecorded false). The project's payments are listed once per run. So rows can be run again safely, and a key repeated within one run is recorded once. A key stands for one payment: a row whose key is recorded for another amount or invoice is refused, not skipped.",
			},
		],
	},
];
