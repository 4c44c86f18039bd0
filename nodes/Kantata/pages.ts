import type { IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { Exchange } from '../shared/serviceApi';
import { UnusableAnswer } from './envelope';
import type { Envelope } from './envelope';

/*
 * Kantata's list paging, for every caller: item requests (Get Many), the trigger's feed and the pickers. One
 * stop rule: the last page is the page count the API states (`meta.page_count`, or the record count over the
 * page size); an answer with neither is refused, since stopping could lose records and going on could loop.
 */

/** The API's largest page. */
export const MAX_PAGE_SIZE = 200;

/** How many records the list holds, as the API states it. */
export function totalCount(envelope: Envelope): number {
	const count = envelope.meta?.count ?? envelope.count;
	if (typeof count !== 'number') throw new UnusableAnswer('Kantata OX answered a list without its count, so paging cannot stop safely');
	return count;
}

/** Whether a page after `page` (counted from 1) holds records. */
export function hasPageAfter(envelope: Envelope, page: number, perPage: number): boolean {
	const pageCount = typeof envelope.meta?.page_count === 'number' ? envelope.meta.page_count : Math.ceil(totalCount(envelope) / perPage);
	return page < pageCount;
}

/** Every page of a list, in order, pages of 200: `fetch` gets the page number, `visit` each answer. */
export async function walkPages<T>(
	fetch: (page: number, perPage: number) => Promise<T>,
	envelopeOf: (answer: T) => Envelope,
	visit: (answer: T) => Promise<void> | void,
): Promise<void> {
	for (let page = 1; ; page++) {
		const answer = await fetch(page, MAX_PAGE_SIZE);
		await visit(answer);
		if (!hasPageAfter(envelopeOf(answer), page, MAX_PAGE_SIZE)) return;
	}
}

/**
 * Get Many's exchange. Return All walks every page; a limit asks for exactly what is missing with
 * `limit`/`offset`, so "Limit: 5" transfers five records. IDs already seen are skipped: a payment created while
 * paging shifts later pages by one.
 */
export const listPages: Exchange = async function (request, send, toItems) {
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
		await walkPages(
			async (page, perPage) => await send({ ...options, qs: { ...options.qs, page, per_page: perPage } }),
			(response) => response.body as Envelope,
			async (response) => void keep(await toItems(response)),
		);
		return items;
	}
	for (let offset = 0; items.length < max; ) {
		const limit = Math.min(MAX_PAGE_SIZE, max - items.length);
		const response = await send({ ...options, qs: { ...options.qs, offset, limit } });
		const received = keep(await toItems(response));
		offset += limit;
		if (received === 0 || offset >= totalCount(response.body as Envelope)) break;
	}
	return items;
};
