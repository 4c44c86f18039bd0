import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import type { Exchange, Send } from '../shared/serviceApi';

/*
 * Moneybird's list paging, for every caller: Get Many, the invoice picker and the lookup by reference. A page
 * has at most 100 records; the next page is the one the `Link` header names `rel="next"`, and without a Link
 * header, the next one after a full page.
 */

/** Moneybird's largest page. */
export const MAX_PAGE_SIZE = 100;

/** The page after `page`, or undefined after the last one. */
export function nextPage(response: IN8nHttpFullResponse, page: number, received: number): number | undefined {
	const link = response.headers?.link;
	if (typeof link === 'string' && link.trim() !== '') {
		const next = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(link)?.[1];
		if (next === undefined) return undefined;
		const fromLink = /[?&]page=(\d+)/.exec(next)?.[1];
		return fromLink ? Number(fromLink) : page + 1;
	}
	return received >= MAX_PAGE_SIZE ? page + 1 : undefined;
}

/** A list answer's records; anything but a list is an answer the node cannot use. */
export function listOf(response: IN8nHttpFullResponse): IDataObject[] {
	if (!Array.isArray(response.body)) throw new Error(`Moneybird answered without the expected list (status ${response.statusCode})`);
	return response.body as IDataObject[];
}

/**
 * Every record of a list, page after page; or fewer pages, when `more` (told each page's records and how many
 * pages were read) says no more are needed.
 */
export async function everyRecord(
	send: Send,
	url: string,
	qs: IDataObject,
	more: (received: IDataObject[], pagesRead: number) => boolean = () => true,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	for (let page: number | undefined = 1; page !== undefined; ) {
		const response = await send({ method: 'GET', url, qs: { ...qs, page, per_page: MAX_PAGE_SIZE }, json: true });
		const received = listOf(response);
		records.push(...received);
		page = more(received, page) ? nextPage(response, page, received.length) : undefined;
	}
	return records;
}

/**
 * Get Many's exchange: pages until the last one (Return All) or until the limit is reached; the limit counts the
 * items the operation outputs, after its postReceive (which may leave records out, e.g. by reference).
 */
export const listPages: Exchange = async function (request, send, toItems) {
	const max = request.maxResults === undefined ? Infinity : Number(request.maxResults);
	const options = request.options as IHttpRequestOptions;
	const items: INodeExecutionData[] = [];
	for (let page: number | undefined = 1; page !== undefined && items.length < max; ) {
		const response = await send({ ...options, qs: { ...options.qs, page, per_page: MAX_PAGE_SIZE } });
		const received = listOf(response).length;
		items.push(...(await toItems(response)).slice(0, max - items.length));
		page = nextPage(response, page, received);
	}
	return items;
};
