import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { CREATED_WINDOW_MS } from '../shared/serviceApi';
import type { Send, ServiceApi } from '../shared/serviceApi';
import { envelopeRecords } from './envelope';
import type { Envelope } from './envelope';
import { totalCount, walkPages } from './pages';
import { keyOf } from './paymentKey';

/*
 * A project's payments found by their Payment Key (paymentKey.ts): listed once per run for "Skip If Already
 * Recorded", and listed again to find a create whose answer was lost.
 */

/** The `external_payment` a create request sends, after its input checks. */
export function sentPayment(request: IHttpRequestOptions): IDataObject {
	return (request.body as { external_payment?: IDataObject } | undefined)?.external_payment ?? {};
}

/**
 * Every payment of a project, page after page. Oldest first by ID, so a payment recorded meanwhile by someone
 * else lands on the last page instead of pushing one already read onto the next. `counts` collects the count each
 * page gave.
 */
export async function projectPayments(send: Send, project: string, filters: IDataObject = {}, counts?: Set<number>): Promise<IDataObject[]> {
	const payments: IDataObject[] = [];
	await walkPages(
		async (page, perPage) =>
			await send({
				method: 'GET',
				url: '/external_payments.json',
				qs: { workspace_id: project, ...filters, order: 'id:asc', page, per_page: perPage },
				json: true,
			}),
		(response) => response.body as Envelope,
		(response) => {
			counts?.add(totalCount(response.body as Envelope));
			payments.push(...envelopeRecords(response.body as Envelope));
		},
	);
	return payments;
}

/**
 * The project's payments recorded since `since`, for the look after a run's creates (overlapping runs). Another
 * run may delete payments while the pages are read, which shifts the later pages so that a page-by-page read
 * skips some: a read whose pages gave different counts is read again, at most three times in all.
 */
export async function paymentsSince(send: Send, project: string, since: string): Promise<IDataObject[]> {
	for (let read = 1; ; read++) {
		const counts = new Set<number>();
		const payments = await projectPayments(send, project, { created_after: since }, counts);
		if (counts.size <= 1 || read === 3) return payments;
	}
}

/** Payments by the key their message carries; payments without one are left out. */
export function byKey(payments: IDataObject[]): Map<string, IDataObject> {
	const index = new Map<string, IDataObject>();
	for (const payment of payments) {
		const key = keyOf(payment.message);
		if (key !== undefined && !index.has(key)) index.set(key, payment);
	}
	return index;
}

/** An answer as a create's answer looks: the envelope around one payment, for Create's postReceive. */
export function paymentEnvelope(payment: IDataObject): IDataObject {
	const id = String(payment.id);
	return {
		count: 1,
		meta: { count: 1, page_count: 1 },
		results: [{ key: 'external_payments', id }],
		external_payments: { [id]: payment },
	};
}

/** The ID of the payment a create's answer holds (the envelope has none at its top); undefined when it holds none. */
export function createdIdOf(body: unknown): string | undefined {
	const envelope = body as Envelope | undefined;
	const result = envelope?.results?.find((entry) => entry?.key === 'external_payments');
	if (result?.id === undefined || result.id === null) return undefined;
	// An answer that names the payment without including it cannot be output either.
	const payments = envelope?.external_payments as Record<string, unknown> | undefined;
	return payments?.[String(result.id)] ? String(result.id) : undefined;
}

/**
 * A create whose answer was lost, found by its Payment Key: the project's payments created since shortly before
 * it was sent are listed, and the one whose message carries the key (other than those earlier items of the run
 * recorded) is it. None: nothing was recorded. Without a key, or with several or an unreadable list, nobody can
 * tell, and the item fails as "may or may not have been recorded".
 */
export const findCreated: NonNullable<ServiceApi['findCreated']> = async function (request, sentAt, send, createdBefore) {
	const payment = sentPayment(request);
	const key = keyOf(payment.message);
	if (key === undefined || payment.workspace_id === undefined) return undefined;
	let payments: IDataObject[];
	try {
		const since = new Date(sentAt.getTime() - CREATED_WINDOW_MS).toISOString();
		payments = await projectPayments(send, String(payment.workspace_id), { created_after: since });
	} catch {
		return undefined;
	}
	const candidates = payments.filter((p) => keyOf(p.message) === key && !createdBefore.has(String(p.id)));
	if (candidates.length === 1) return paymentEnvelope(candidates[0]);
	return candidates.length === 0 ? false : undefined;
};
