import { ApplicationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { operationError } from '../shared/errors';
import { requestRunner } from '../shared/requestRunner';
import type { Exchange, ServiceApi } from '../shared/requestRunner';
import type { IdRules } from '../shared/validation';

/** Kantata IDs are positive integers; 15 digits keeps them exact even where a number is used. */
export const KANTATA_ID: IdRules = { maxDigits: 15 };

/** The API's largest page. */
export const MAX_PAGE_SIZE = 200;

interface KantataError {
	type?: string;
	message?: string;
	field?: string;
}

/** Every Kantata answer: records keyed by ID, their order in `results`, related records under their own keys. */
export interface Envelope {
	count?: number;
	meta?: { count?: number; page_count?: number };
	results?: Array<{ key: string; id: string }>;
	[key: string]: unknown;
}

/** `include` names and the top-level keys their records come back under, as attached to each payment. */
const INCLUDES = [
	{ key: 'invoices', idField: 'invoice_id', as: 'invoice' },
	{ key: 'users', idField: 'user_id', as: 'user' },
	{ key: 'workspaces', idField: 'workspace_id', as: 'workspace' },
];

const RECORD_NAMES: Record<string, string> = {
	external_payments: 'external payment',
	workspaces: 'project',
	invoices: 'invoice',
};

export const kantataApi: ServiceApi = {
	name: 'Kantata OX',
	credentialPrefix: 'kantataOx',

	describeFailure(status, body, request) {
		const errors = ((body as { errors?: KantataError[] } | undefined)?.errors ?? []).filter(Boolean);
		const said = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
		switch (status) {
			case 401:
				return {
					message: `Kantata OX rejected the credential${said ? `: ${said}` : ''}`,
					description: 'Check the access token in the credential, or reconnect the OAuth2 credential.',
				};
			case 403:
				return {
					message: `Kantata OX refused access${said ? `: ${said}` : ''}`,
					description: 'The user behind the credential may not see this project or may not record payments in it.',
				};
			case 404: {
				const [, collection, id] = /\/(\w+)\/(\d+)(?:\.json)?$/.exec(request.url ?? '') ?? [];
				return {
					message: id
						? `Kantata OX has no ${RECORD_NAMES[collection] ?? 'record'} with ID ${id}`
						: `Kantata OX did not find ${request.url}`,
					description: said || undefined,
				};
			}
			case 422:
				return { message: `Kantata OX refused the payment: ${said || 'validation failed'}` };
			default:
				return { message: `Kantata OX answered ${status}${said ? `: ${said}` : ''}` };
		}
	},

	howToCheckCreate(request, sentAt) {
		const payment = (request.body as { external_payment?: IDataObject } | undefined)?.external_payment ?? {};
		const since = new Date(sentAt.getTime() - 60_000).toISOString();
		return `Before running this item again, look for the payment with Get Many filtered by project ${String(payment.workspace_id)} and Created After ${since}.`;
	},
};

/** The records of an answer in the API's order, with requested related records attached. */
export function envelopeRecords(envelope: Envelope): IDataObject[] {
	return (envelope.results ?? []).map(({ key, id }) => {
		const record = (envelope[key] as Record<string, IDataObject> | undefined)?.[id];
		// Dropping it silently would lose a record from the output; the answer is inconsistent, so say so.
		if (!record) throw new ApplicationError(`Kantata OX listed ${key} ${id} but did not include it in its answer`);
		const json: IDataObject = { ...record };
		for (const include of INCLUDES) {
			const related = envelope[include.key] as Record<string, IDataObject> | undefined;
			if (related) json[include.as] = related[String(record[include.idField])] ?? null;
		}
		return json;
	});
}

/** postReceive: one item per record of the answer. */
export async function toRecords(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return envelopeRecords(response.body as Envelope).map((json) => ({ json }));
}

/**
 * Return All walks pages of 200 until the API's own page count; a limit asks for exactly what is missing
 * with `limit`/`offset`, so "Limit: 5" transfers five records. IDs already seen are skipped: a payment
 * created while paging shifts later pages by one.
 */
export const kantataPages: Exchange = async function (request, send, toItems) {
	const max = request.maxResults === undefined ? Infinity : Number(request.maxResults);
	const options = request.options as IHttpRequestOptions;
	const items: INodeExecutionData[] = [];
	const seen = new Set<string>();
	const keep = (page: INodeExecutionData[]) => {
		for (const item of page) {
			const id = String(item.json.id);
			if (!seen.has(id) && items.length < max) {
				seen.add(id);
				items.push(item);
			}
		}
		return page.length;
	};

	if (max === Infinity) {
		for (let page = 1; ; page++) {
			const response = await send({ ...options, qs: { ...options.qs, page, per_page: MAX_PAGE_SIZE } });
			keep(await toItems(response));
			if (page >= pageCount(this, response)) return items;
		}
	}
	for (let offset = 0; items.length < max; ) {
		const limit = Math.min(MAX_PAGE_SIZE, max - items.length);
		const response = await send({ ...options, qs: { ...options.qs, offset, limit } });
		const received = keep(await toItems(response));
		offset += limit;
		if (received === 0 || offset >= totalCount(this, response)) break;
	}
	return items;
};

function pageCount(context: IExecuteSingleFunctions, response: IN8nHttpFullResponse): number {
	const envelope = response.body as Envelope;
	if (typeof envelope.meta?.page_count === 'number') return envelope.meta.page_count;
	return Math.ceil(totalCount(context, response) / MAX_PAGE_SIZE);
}

function totalCount(context: IExecuteSingleFunctions, response: IN8nHttpFullResponse): number {
	const envelope = response.body as Envelope;
	const count = envelope.meta?.count ?? envelope.count;
	if (typeof count !== 'number') {
		throw operationError(context.getNode(), 'Kantata OX answered a list without its count, so paging cannot stop safely', {
			itemIndex: context.getItemIndex(),
		});
	}
	return count;
}

/** Every Kantata request goes through the shared runner (see requestRunner.ts); lists also through kantataPages. */
export const runKantataRequest = requestRunner(kantataApi);
export const runKantataListRequest = requestRunner(kantataApi, kantataPages);
