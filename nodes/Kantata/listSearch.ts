import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { toChoices } from '../shared/listSearch';
import { lookup } from '../shared/lookup';
import { envelopeRecords } from './envelope';
import type { Envelope } from './envelope';
import { kantataApi } from './kantataApi';
import { hasPageAfter } from './pages';

const PAGE_SIZE = 50;
const WEB_APP = 'https://app.mavenlink.com';

async function searchPage(
	context: ILoadOptionsFunctions,
	url: string,
	qs: IDataObject,
	paginationToken?: string,
): Promise<{ records: IDataObject[]; paginationToken?: string }> {
	const page = Number(paginationToken ?? 1);
	const response = await lookup(context, kantataApi, url, { ...qs, page, per_page: PAGE_SIZE });
	const envelope = response.body as Envelope;
	const records = envelopeRecords(envelope);
	return { records, paginationToken: hasPageAfter(envelope, page, PAGE_SIZE) ? String(page + 1) : undefined };
}

/** The project picker (both Kantata nodes): Kantata searches project titles itself. */
export async function searchProjects(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs: IDataObject = filter ? { search: filter } : {};
	const { records, paginationToken: next } = await searchPage(this, '/workspaces.json', qs, paginationToken);
	const results = toChoices(records, (project) => ({
		name: String(project.title),
		value: String(project.id),
		url: `${WEB_APP}/workspaces/${String(project.id)}`,
	}));
	return { results, paginationToken: next };
}

/** What Create accepts: a pending (not draft) invoice of one project alone. */
const takesPayments = (invoice: IDataObject) =>
	invoice.status === 'pending' &&
	invoice.draft !== true &&
	(!Array.isArray(invoice.workspace_ids) || invoice.workspace_ids.length === 1);

/**
 * The invoice picker: invoices of the chosen project, with their state. Create's lists only the invoices it
 * accepts; Get Many's filter lists them all.
 */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// Create has a Project parameter; Get Many has one among its filters.
	const path = this.getCurrentNodeParameter('project') !== undefined ? 'project' : 'filters.project';
	const project = this.getCurrentNodeParameter(path) === undefined ? undefined : this.getCurrentNodeParameter(path, { extractValue: true });
	const qs: IDataObject = project ? { workspace_id: String(project) } : {};
	const { records, paginationToken: next } = await searchPage(this, '/invoices.json', qs, paginationToken);
	const results = toChoices(
		path === 'project' ? records.filter(takesPayments) : records,
		(invoice) => ({
			name: `${String(invoice.invoice_number ?? invoice.display_id ?? invoice.id)} (${String(invoice.status)})`,
			value: String(invoice.id),
			url: `${WEB_APP}/invoices/${String(invoice.id)}`,
		}),
		filter,
	);
	return { results, paginationToken: next };
}
