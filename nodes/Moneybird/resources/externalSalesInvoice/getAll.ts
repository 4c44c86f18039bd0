import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/commonParameters';
import { inputCheck } from '../../../shared/routingAdapter';
import { checkParameter, InvalidValue, optional, toDate } from '../../../shared/validation';
import { moneybirdId } from '../../requestPaths';

const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['externalSalesInvoice'], operation: ['getAll'], ...extra } });

const STATES = ['new', 'open', 'late', 'paid'];
const NAMED_PERIODS = ['this_month', 'prev_month', 'this_quarter', 'prev_quarter', 'this_year', 'prev_year'];

/** The `filter` Moneybird reads: always an explicit period, since any filter replaces its this-year default. */
function invoiceFilter(context: IExecuteSingleFunctions): string {
	const period = checkParameter(context, 'period', 'Period', (value) => {
		if (value === 'between') return value;
		if (typeof value !== 'string' || !NAMED_PERIODS.includes(value)) throw new InvalidValue(`"${String(value)}" is not a period`);
		return value;
	});
	const compact = (date: string) => date.replace(/-/g, '');
	const terms = [
		period === 'between'
			? `period:${compact(checkParameter(context, 'invoiceDateFrom', 'Invoice Date From', toDate))}..${compact(checkParameter(context, 'invoiceDateTo', 'Invoice Date To', toDate))}`
			: `period:${period}`,
	];
	const states = checkParameter(context, 'filters.state', 'State', (value) => {
		const list = Array.isArray(value) ? value.map(String) : value === '' || value === undefined ? [] : [String(value)];
		const unknown = list.find((state) => !STATES.includes(state));
		if (unknown !== undefined) throw new InvalidValue(`"${unknown}" is not one of ${STATES.join(', ')}`);
		return list;
	});
	if (states.length) terms.push(`state:${states.join('|')}`);
	const contact = checkParameter(context, 'filters.contactId', 'Contact ID', optional(moneybirdId));
	if (contact) terms.push(`contact_id:${contact}`);
	return terms.join(',');
}

/** Get Many's request: the administration's invoices, filtered. */
export const getAllRequest = inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
	const administration = checkParameter(this, 'administration', 'Administration', moneybirdId);
	options.url = `/${administration}/external_sales_invoices.json`;
	options.qs = { ...options.qs, filter: invoiceFilter(this) };
	return options;
});

/** postReceive: Moneybird has no reference filter here, so the invoices of a page are matched exactly, trimmed. */
export async function withReference(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const wanted = String(this.getNodeParameter('filters.reference', '') ?? '').trim();
	return wanted === '' ? items : items.filter((item) => String(item.json.reference ?? '').trim() === wanted);
}

export const getAllFields: INodeProperties[] = [
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Between Dates', value: 'between', description: 'Invoices dated from Invoice Date From to Invoice Date To' },
			{ name: 'Previous Month', value: 'prev_month' },
			{ name: 'Previous Quarter', value: 'prev_quarter' },
			{ name: 'Previous Year', value: 'prev_year' },
			{ name: 'This Month', value: 'this_month' },
			{ name: 'This Quarter', value: 'this_quarter' },
			{ name: 'This Year', value: 'this_year' },
		],
		default: 'between',
		description: 'Invoices by their date. Always sent: without it Moneybird lists this year only.',
		displayOptions: show(),
	},
	{
		displayName: 'Invoice Date From',
		name: 'invoiceDateFrom',
		type: 'string',
		required: true,
		default: "={{ $today.minus({ years: 1 }).startOf('year').toFormat('yyyy-MM-dd') }}",
		placeholder: '2025-01-01',
		description: 'First invoice date, as YYYY-MM-DD',
		displayOptions: show({ period: ['between'] }),
	},
	{
		displayName: 'Invoice Date To',
		name: 'invoiceDateTo',
		type: 'string',
		required: true,
		default: "={{ $today.endOf('year').toFormat('yyyy-MM-dd') }}",
		placeholder: '2026-12-31',
		description: 'Last invoice date, as YYYY-MM-DD',
		displayOptions: show({ period: ['between'] }),
	},
	...returnAllOrLimit(show().show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(),
		options: [
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Only invoices of this contact: its Moneybird ID, as text',
			},
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				placeholder: 'EXT-2026-001',
				description: 'Only invoices with exactly this reference (invoice number), compared trimmed',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'multiOptions',
				options: [
					{ name: 'Late', value: 'late' },
					{ name: 'New', value: 'new' },
					{ name: 'Open', value: 'open' },
					{ name: 'Paid', value: 'paid' },
				],
				default: [],
				description: 'Only invoices in one of these states; none chosen: every state',
			},
		],
	},
];
