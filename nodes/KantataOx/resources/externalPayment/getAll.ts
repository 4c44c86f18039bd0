import type { INodeProperties } from 'n8n-workflow';

import { invoiceLocator, projectLocator } from '../../../Kantata/locator';
import { checkedFields } from '../../../shared/checkedFields';
import { returnAllOrLimit } from '../../../shared/commonParameters';
import { optional, toDateTime } from '../../../shared/validation';
import { includeOption, kantataId, show } from './common';

const ids = (value: unknown) =>
	String(value)
		.split(',')
		.map((id) => kantataId(id))
		.join(',');

/** Get Many's query, from its checked filters; a filter left empty is not sent. */
export const getAllRequest = checkedFields([
	{ parameter: 'filters.createdAfter', label: 'Created After', check: optional(toDateTime), query: 'created_after' },
	{ parameter: 'filters.createdBefore', label: 'Created Before', check: optional(toDateTime), query: 'created_before' },
	{ parameter: 'filters.ids', label: 'IDs', check: optional(ids), query: 'only' },
	{ parameter: 'filters.invoice', label: 'Invoice', check: optional(kantataId), query: 'invoice_id' },
	{ parameter: 'filters.project', label: 'Project', check: optional(kantataId), query: 'workspace_id' },
	{ parameter: 'filters.updatedAfter', label: 'Updated After', check: optional(toDateTime), query: 'updated_after' },
	{ parameter: 'filters.updatedBefore', label: 'Updated Before', check: optional(toDateTime), query: 'updated_before' },
	{ parameter: 'filters.userId', label: 'User ID', check: optional(kantataId), query: 'user_id' },
]);

const dateTimeFilter = (name: string, displayName: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description: `Only payments ${what} this moment: an ISO 8601 date-time such as 2025-03-01T00:00:00Z`,
});

export const getAllFields: INodeProperties[] = [
	...returnAllOrLimit(show(['getAll']).show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			dateTimeFilter('createdAfter', 'Created After', 'created after'),
			dateTimeFilter('createdBefore', 'Created Before', 'created before'),
			{
				displayName: 'IDs',
				name: 'ids',
				type: 'string',
				default: '',
				placeholder: '123, 456',
				description: 'Only these external payments: IDs separated by commas',
			},
			{ ...invoiceLocator(), description: 'Only payments applied to this invoice' },
			{ ...projectLocator(), description: 'Only payments recorded in this project' },
			dateTimeFilter('updatedAfter', 'Updated After', 'last changed after'),
			dateTimeFilter('updatedBefore', 'Updated Before', 'last changed before'),
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description: 'Only payments recorded by this Kantata OX user: their ID, as digits',
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
