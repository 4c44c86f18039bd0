import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { toChoices } from '../shared/listSearch';
import { lookup } from '../shared/lookup';
import { InvalidValue, toId } from '../shared/validation';
import { moneybirdApi } from './moneybirdApi';
import { MAX_PAGE_SIZE, nextPage } from './pages';
import { MONEYBIRD_ID, WEB_APP, invoiceWebUrl, moneyOf } from './records';

/** Unpaid invoices only: a filter replaces Moneybird's default `period:this_year`, so older ones show too. */
const UNPAID_FILTER = 'state:open|late';

/** The administration chosen in the node, checked, since it goes into the path of every list it scopes. */
export function chosenAdministration(context: ILoadOptionsFunctions): string {
	const value = context.getCurrentNodeParameter('administration', { extractValue: true });
	if (value === undefined || value === null || value === '') {
		throw new NodeOperationError(context.getNode(), 'Choose an Administration first', {
			description: 'This list shows records of one administration.',
		});
	}
	try {
		return toId(value, MONEYBIRD_ID);
	} catch (error) {
		const reason = error instanceof InvalidValue ? error.message : String(error);
		throw new NodeOperationError(context.getNode(), `Invalid Administration: ${reason}`);
	}
}

/** The records of a list answer; anything else is a broken answer, said as such rather than shown as "no results". */
export function recordsOf(context: ILoadOptionsFunctions, response: IN8nHttpFullResponse): IDataObject[] {
	if (!Array.isArray(response.body)) {
		throw new NodeOperationError(context.getNode(), 'Moneybird answered without the expected list', {
			description: `Status ${response.statusCode}; check the Base URL of the credential.`,
		});
	}
	return response.body as IDataObject[];
}

/**
 * GET a whole (unpaged) list and shape it with the one map/filter/sort that pickers and dropdowns share;
 * `keep` leaves out records that cannot be chosen.
 */
export async function listChoices(
	context: ILoadOptionsFunctions,
	url: string,
	toChoice: (record: IDataObject) => INodeListSearchItems,
	{ filter, keep }: { filter?: string; keep?: (record: IDataObject) => boolean } = {},
): Promise<INodeListSearchItems[]> {
	const records = recordsOf(context, await lookup(context, moneybirdApi, url));
	return toChoices(keep ? records.filter(keep) : records, toChoice, filter);
}

/** `121.0` → `121.00`; text Moneybird sends that is not an amount is shown as it came. */
function money(value: unknown): string {
	return moneyOf(value)?.text ?? String(value);
}

function contactName(contact: unknown): string {
	const c = (contact ?? {}) as IDataObject;
	if (c.company_name) return String(c.company_name);
	return [c.firstname, c.lastname].filter(Boolean).join(' ') || 'no contact';
}

export const administrationChoice = (administration: IDataObject): INodeListSearchItems => ({
	name: String(administration.name),
	value: String(administration.id),
	url: `${WEB_APP}/${String(administration.id)}`,
});

/** `WS-1001 · Webshop Klant B.V. · EUR 121.00 open`: what a person matches a bank line against. */
export const invoiceChoice =
	(administration: string) =>
	(invoice: IDataObject): INodeListSearchItems => {
		const late = invoice.state === 'late' ? ' (late)' : '';
		return {
			name: `${String(invoice.reference ?? invoice.id)} · ${contactName(invoice.contact)} · ${String(invoice.currency)} ${money(invoice.total_unpaid)} open${late}`,
			value: String(invoice.id),
			url: invoiceWebUrl(administration, String(invoice.id)),
		};
	};

/** The administration picker: every administration the credential can reach. */
export async function searchAdministrations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return { results: await listChoices(this, '/administrations.json', administrationChoice, { filter }) };
}

/** The invoice picker: unpaid (open or late) external sales invoices of the chosen administration. */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const administration = chosenAdministration(this);
	const page = /^\d{1,9}$/.test(paginationToken ?? '') && Number(paginationToken) > 0 ? Number(paginationToken) : 1;
	const response = await lookup(this, moneybirdApi, `/${administration}/external_sales_invoices.json`, {
		filter: UNPAID_FILTER,
		page,
		per_page: MAX_PAGE_SIZE,
	});
	const records = recordsOf(this, response);
	const results = toChoices(records, invoiceChoice(administration), filter);
	const next = nextPage(response, page, records.length);
	return { results, paginationToken: next === undefined ? undefined : String(next) };
}
