import type { INodeProperties } from 'n8n-workflow';

import { parseAmount } from '../../shared/amounts';
import type { AmountFormat } from '../../shared/amounts';
import { amountFormatOption } from '../../shared/commonParameters';
import { deletedRecord } from '../../shared/deletedRecord';
import { sendChecked } from '../../shared/parameterRouting';
import { optional, toDateTime, toId, toText } from '../../shared/validation';
import { KANTATA_ID, runKantataListRequest, toRecords } from '../kantataApi';

const show = (operation: string[]) => ({ show: { resource: ['externalPayment'], operation } });

const kantataId = (value: unknown) => toId(value, KANTATA_ID);
const paymentUrl = (id: string) => `/external_payments/${id}.json`;

/** Kantata's largest amount here: one billion in currency units, far inside exact integer cents. */
const MAX_CENTS = 100_000_000_000n;

export function locator(name: string, label: string, path: 'workspaces' | 'invoices', searchListMethod: string): INodeProperties {
	return {
		displayName: label,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '123456',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: `Not a valid ${label.toLowerCase()} ID` } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://app.mavenlink.com/${path}/123456`,
				extractValue: { type: 'regex', regex: `https://[^/]+/${path}/(\\d+)` },
				validation: [
					{
						type: 'regex',
						properties: { regex: `https://[^/]+/${path}/(\\d+).*`, errorMessage: `Not a Kantata OX ${label.toLowerCase()} URL` },
					},
				],
			},
		],
	};
}

const includeOption: INodeProperties = {
	displayName: 'Include Related Records',
	name: 'include',
	type: 'multiOptions',
	options: [
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Project (Workspace)', value: 'workspace', description: 'Attached under `workspace`, as the API calls a project' },
		{ name: 'User', value: 'user' },
	],
	default: [],
	description: 'Records to attach to each payment, under `invoice`, `workspace` (the project) and `user`',
	routing: { send: { type: 'query', property: 'include', value: '={{ $value.join(",") || undefined }}' } },
};

export const externalPaymentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['externalPayment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an external payment',
				description: 'Record a payment made outside Kantata OX, for an invoice or an amount',
				routing: {
					request: { method: 'POST', url: '/external_payments.json' },
					send: { paginate: true },
					output: { postReceive: [toRecords] },
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an external payment',
				routing: {
					request: { method: 'DELETE' },
					send: { paginate: true },
					output: { postReceive: [deletedRecord('paymentId', KANTATA_ID)] },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an external payment',
				routing: {
					request: { method: 'GET' },
					send: { paginate: true },
					output: { postReceive: [toRecords] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external payments',
				routing: {
					request: { method: 'GET', url: '/external_payments.json' },
					send: { paginate: true },
					operations: { pagination: runKantataListRequest },
					output: { postReceive: [toRecords] },
				},
			},
		],
		default: 'getAll',
	},
];

export const externalPaymentFields: INodeProperties[] = [
	// Get, Delete
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123456',
		description: 'ID of the external payment, as digits, e.g. 123456',
		displayOptions: show(['get', 'delete']),
		routing: sendChecked('paymentId', 'Payment ID', kantataId, { url: paymentUrl }),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['get']),
		options: [includeOption],
	},

	// Create
	{
		...locator('project', 'Project', 'workspaces', 'searchProjects'),
		required: true,
		description: 'The project (workspace) the payment is recorded in. By ID: its Kantata OX ID as digits.',
		displayOptions: show(['create']),
		routing: sendChecked('project', 'Project', kantataId, { body: 'external_payment.workspace_id' }),
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
		...locator('invoice', 'Invoice', 'invoices', 'searchInvoices'),
		required: true,
		description:
			'A pending (not draft) invoice of this project alone; the payment takes its amount. By ID: its Kantata OX ID as digits.',
		displayOptions: { show: { ...show(['create']).show, recordFor: ['invoice'] } },
		routing: sendChecked('invoice', 'Invoice', kantataId, { body: 'external_payment.invoice_id' }),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1050.25',
		description: 'Amount in the project currency, e.g. 1050.25; sent to Kantata OX as exact cents',
		displayOptions: { show: { ...show(['create']).show, recordFor: ['amount'] } },
		routing: sendChecked(
			'amount',
			'Amount',
			(value, context) =>
				Number(
					parseAmount(value, {
						format: context.getNodeParameter('options.amountFormat', 'auto') as AmountFormat,
						minCents: 1n,
						maxCents: MAX_CENTS,
					}).cents,
				),
			{ body: 'external_payment.amount_in_cents' },
		),
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		description: 'A note on the payment, at most 255 characters',
		displayOptions: show(['create']),
		routing: sendChecked('message', 'Message', (value) => toText(value, 255) || undefined, {
			body: 'external_payment.message',
		}),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...show(['create']).show, recordFor: ['amount'] } },
		options: [amountFormatOption],
	},

	// Get Many
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(['getAll']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show(['getAll']).show, returnAll: [false] } },
		routing: { output: { maxResults: '={{$value}}' } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only payments created after this moment: an ISO 8601 date-time such as 2025-03-01T00:00:00Z',
				routing: sendChecked('filters.createdAfter', 'Created After', optional(toDateTime), { query: 'created_after' }),
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only payments created before this moment: an ISO 8601 date-time such as 2025-03-01T00:00:00Z',
				routing: sendChecked('filters.createdBefore', 'Created Before', optional(toDateTime), { query: 'created_before' }),
			},
			{
				displayName: 'IDs',
				name: 'ids',
				type: 'string',
				default: '',
				placeholder: '123, 456',
				description: 'Only these external payments: IDs separated by commas',
				routing: sendChecked(
					'filters.ids',
					'IDs',
					optional((value) =>
						String(value)
							.split(',')
							.map((id) => kantataId(id))
							.join(','),
					),
					{ query: 'only' },
				),
			},
			{
				...locator('invoice', 'Invoice', 'invoices', 'searchInvoices'),
				description: 'Only payments applied to this invoice',
				routing: sendChecked('filters.invoice', 'Invoice', optional(kantataId), { query: 'invoice_id' }),
			},
			{
				...locator('project', 'Project', 'workspaces', 'searchProjects'),
				description: 'Only payments recorded in this project',
				routing: sendChecked('filters.project', 'Project', optional(kantataId), { query: 'workspace_id' }),
			},
			{
				displayName: 'Updated After',
				name: 'updatedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only payments last changed after this moment: an ISO 8601 date-time such as 2025-03-01T00:00:00Z',
				routing: sendChecked('filters.updatedAfter', 'Updated After', optional(toDateTime), { query: 'updated_after' }),
			},
			{
				displayName: 'Updated Before',
				name: 'updatedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only payments last changed before this moment: an ISO 8601 date-time such as 2025-03-01T00:00:00Z',
				routing: sendChecked('filters.updatedBefore', 'Updated Before', optional(toDateTime), { query: 'updated_before' }),
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description: 'Only payments recorded by this Kantata OX user: their ID, as digits',
				routing: sendChecked('filters.userId', 'User ID', optional(kantataId), { query: 'user_id' }),
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			includeOption,
			{
				displayName: 'Sort',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Created, Newest First', value: 'created_at:desc' },
					{ name: 'Created, Oldest First', value: 'created_at:asc' },
					{ name: 'ID, Ascending', value: 'id:asc' },
					{ name: 'ID, Descending', value: 'id:desc' },
					{ name: 'Updated, Newest First', value: 'updated_at:desc' },
					{ name: 'Updated, Oldest First', value: 'updated_at:asc' },
				],
				default: 'created_at:desc',
				description: 'Order of the payments; the API default is newest first',
				routing: { send: { type: 'query', property: 'order' } },
			},
		],
	},
];
