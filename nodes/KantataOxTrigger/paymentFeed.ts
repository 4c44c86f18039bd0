import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { envelopeRecords } from '../Kantata/envelope';
import type { Envelope } from '../Kantata/envelope';
import { kantataApi } from '../Kantata/kantataApi';
import { MAX_PAGE_SIZE, walkPages } from '../Kantata/pages';
import { lookup } from '../shared/lookup';
import { advance, queryAfter, secondOf } from './watermark';
import type { Field, Watermark } from './watermark';

/** Query parameters every request of a poll carries: the Project and Invoice filters. */
export type Filters = { workspace_id?: string; invoice_id?: string };

/** One GET of external payments with the credential the Authentication parameter selects. */
export type ListPayments = (qs: IDataObject) => Promise<Envelope>;

/** The poll's way to list payments: the shared lookup (credential choice, https rule, errors in Kantata's words). */
export function paymentLister(context: IPollFunctions): ListPayments {
	return async (qs) => (await lookup(context, kantataApi, '/external_payments.json', qs)).body as Envelope;
}

/** The latest payment by `field`, if there is one: a single request for one record. */
export async function latestPayment(list: ListPayments, field: Field, filters: Filters): Promise<IDataObject | undefined> {
	return envelopeRecords(await list({ ...filters, order: `${field}:desc`, limit: 1 }))[0];
}

/**
 * A feed's first watermark, from the API's clock rather than this machine's: the latest payments there are
 * (one page, newest first), so the watermark's second comes with every ID at that second, and only payments
 * after them are emitted. No payment at all: everything the feed receives later is new.
 */
async function startFeed(list: ListPayments, field: Field, filters: Filters): Promise<Watermark> {
	const newest = envelopeRecords(await list({ ...filters, order: `${field}:desc`, page: 1, per_page: MAX_PAGE_SIZE }));
	return advance({ ids: [] }, newest, field).mark;
}

/** Every payment from `after` on, oldest first, so the watermark only moves forward: every page (Kantata/pages.ts). */
export async function paymentsAfter(
	list: ListPayments,
	field: Field,
	after: string | undefined,
	filters: Filters,
): Promise<IDataObject[]> {
	const qs: IDataObject = { ...filters, order: `${field}:asc` };
	if (after !== undefined) qs[field === 'created_at' ? 'created_after' : 'updated_after'] = after;
	const records: IDataObject[] = [];
	await walkPages(
		async (page, perPage) => await list({ ...qs, page, per_page: perPage }),
		(envelope) => envelope,
		(envelope) => void records.push(...envelopeRecords(envelope)),
	);
	return records;
}

/**
 * One feed's step in a poll: payments not emitted before and the watermark after them. A feed without a
 * watermark starts after the latest payments there are and emits nothing.
 */
export async function followFeed(
	list: ListPayments,
	field: Field,
	mark: Watermark | undefined,
	filters: Filters,
): Promise<{ fresh: IDataObject[]; mark: Watermark }> {
	if (!mark) return { fresh: [], mark: await startFeed(list, field, filters) };
	return advance(mark, await paymentsAfter(list, field, queryAfter(mark), filters), field);
}

/**
 * The updates of a poll worth emitting: a payment whose `updated_at` is its `created_at` is a new one, which
 * the new-payments feed emits (even when it appears in only one of the two feeds' answers), and a payment
 * this poll emits as new is emitted once, as it stands now.
 */
export function updatesOnly(updated: IDataObject[], created: IDataObject[]): IDataObject[] {
	const emitted = new Set(created.map((payment) => String(payment.id)));
	return updated.filter(
		(payment) =>
			!emitted.has(String(payment.id)) &&
			secondOf(payment.updated_at, `updated_at of payment ${String(payment.id)}`) >
				secondOf(payment.created_at, `created_at of payment ${String(payment.id)}`),
	);
}
