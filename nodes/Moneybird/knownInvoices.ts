import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { runMemoryOf } from '../shared/runQueue';
import type { Send } from '../shared/serviceApi';
import { searchPeriod } from './invoiceByReference';
import { everyRecord } from './pages';
import { centsOf, pathIds } from './records';

/*
 * What a run knows of each external sales invoice it meets: its payments and open amount as last read or
 * listed, with the payments the run recorded since. It is kept in the run's memory, so every item and every
 * n8n try of the run (Retry On Fail) shares it: an invoice is read at most once per run, and not at all when
 * the run listed it (finding invoices By Reference lists them, and a list answer carries each invoice's
 * `payments` and totals, as a read does). Only a create whose answer was lost reads its invoice afresh: what
 * the run knew predates that create.
 */

export interface KnownInvoice {
	id: string;
	payments: IDataObject[];
	/** What is left to pay, in cents (`total_unpaid`, less what the run recorded since); undefined when unknown. */
	openCents?: bigint;
}

const keyOf = (administration: string, invoice: string) => `invoice ${administration} ${invoice}`;

function fromAnswer(json: IDataObject): KnownInvoice | undefined {
	if (!Array.isArray(json.payments)) return undefined;
	const payments = [...(json.payments as IDataObject[])];
	let openCents = centsOf(json.total_unpaid);
	if (openCents === undefined) {
		const total = centsOf(json.total_price_incl_tax);
		const paid = payments.map((payment) => centsOf(payment.price));
		if (total !== undefined && paid.every((cents) => cents !== undefined)) {
			openCents = paid.reduce<bigint>((left, cents) => left - cents!, total);
		}
	}
	return { id: String(json.id), payments, openCents };
}

/** The invoice as the run knows it, or undefined when the run has not read or listed it. */
export function knownInvoice(context: IExecuteSingleFunctions, administration: string, invoice: string): KnownInvoice | undefined {
	return runMemoryOf(context).known.get(keyOf(administration, invoice)) as KnownInvoice | undefined;
}

/** Invoices a listing returned: the run learns those it did not know yet (what it knows is as new, or newer). */
export function learnInvoices(context: IExecuteSingleFunctions, administration: string, invoices: IDataObject[]): void {
	const known = runMemoryOf(context).known;
	for (const json of invoices) {
		const key = keyOf(administration, String(json.id));
		const invoice = known.has(key) ? undefined : fromAnswer(json);
		if (invoice) known.set(key, invoice);
	}
}

/** A payment the run recorded (or found recorded after a lost answer): added once, and taken off the open amount. */
export function learnPayment(context: IExecuteSingleFunctions, administration: string, invoice: string, payment: unknown): void {
	const known = knownInvoice(context, administration, invoice);
	const json = payment as IDataObject | undefined;
	if (!known || !json || typeof json !== 'object' || json.id === undefined) return;
	if (known.payments.some((recorded) => String(recorded.id) === String(json.id))) return;
	known.payments.push(json);
	const cents = centsOf(json.price);
	known.openCents = known.openCents === undefined || cents === undefined ? undefined : known.openCents - cents;
}

/** A payment the run deleted (a later duplicate of another run's, recordedPayments.ts): taken off, its amount open again. */
export function forgetPayment(context: IExecuteSingleFunctions, administration: string, invoice: string, payment: IDataObject): void {
	const known = knownInvoice(context, administration, invoice);
	if (!known) return;
	const before = known.payments.length;
	known.payments = known.payments.filter((recorded) => String(recorded.id) !== String(payment.id));
	const cents = centsOf(payment.price);
	if (known.payments.length < before) known.openCents = known.openCents === undefined || cents === undefined ? undefined : known.openCents + cents;
}

/**
 * Reads the invoice of a payments request through the item's `send` (so it waits and retries as any request)
 * and remembers it for the run. Undefined when the path names no invoice or the answer lists no payments.
 */
export async function readInvoice(context: IExecuteSingleFunctions, request: IHttpRequestOptions, send: Send): Promise<KnownInvoice | undefined> {
	const { administration, invoice } = pathIds(request.url);
	if (!administration || !invoice) return undefined;
	const response = await send({
		method: 'GET',
		url: `/${administration}/external_sales_invoices/${invoice}.json`,
		headers: request.headers,
		json: true,
		timeout: request.timeout,
	});
	const read = fromAnswer((response.body ?? {}) as IDataObject);
	if (read) runMemoryOf(context).known.set(keyOf(administration, invoice), read);
	return read;
}

/**
 * The invoice of a payments request as the run knows it. One the run has not read or listed yet is read, unless
 * listing the period is cheaper (`listWhenCheaper`).
 */
export async function invoiceOfRequest(context: IExecuteSingleFunctions, request: IHttpRequestOptions, send: Send): Promise<KnownInvoice | undefined> {
	const { administration, invoice } = pathIds(request.url);
	if (!administration || !invoice) return undefined;
	const known = knownInvoice(context, administration, invoice);
	if (known) return known;
	await listWhenCheaper(context, administration, send);
	return knownInvoice(context, administration, invoice) ?? (await readInvoice(context, request, send));
}

/** The invoices the run's items name (their input checks note them, all before the first item is sent). */
function itemInvoices(context: IExecuteSingleFunctions): Map<number, string> {
	const known = runMemoryOf(context).known;
	let items = known.get('items') as Map<number, string> | undefined;
	if (!items) known.set('items', (items = new Map()));
	return items;
}

/** Notes the invoice an item names, so the run knows how many distinct invoices it will need (`listWhenCheaper`). */
export function noteItemInvoice(context: IExecuteSingleFunctions, administration: string, invoice: string): void {
	itemInvoices(context).set(context.getItemIndex(), keyOf(administration, invoice));
}

/**
 * Invoices given By ID: reading each costs one request per distinct invoice (U, counted from the run's items);
 * listing the period (that By Reference searches) costs one request per page of 100 and returns each invoice
 * with its payments, but how many pages it has is known only by reading them. So once per run, when U is 2 or
 * more, the listing is read page by page until it has shown every invoice the run needs, for at most U - 1
 * pages; invoices it did not show (older ones, or when it was cut short or failed) are then read one by one.
 */
async function listWhenCheaper(context: IExecuteSingleFunctions, administration: string, send: Send): Promise<void> {
	const known = runMemoryOf(context).known;
	const tried = `listed ${administration}`;
	if (known.has(tried)) return;
	known.set(tried, true);
	const prefix = keyOf(administration, '');
	const unknown = () => new Set([...itemInvoices(context).values()].filter((key) => key.startsWith(prefix) && !known.has(key))).size;
	const wanted = unknown();
	if (wanted < 2) return;
	const { filter } = searchPeriod(undefined);
	try {
		await everyRecord(send, `/${administration}/external_sales_invoices.json`, { filter }, (received, pagesRead) => {
			learnInvoices(context, administration, received);
			return unknown() > 0 && pagesRead < wanted - 1;
		});
	} catch {
		// The invoices are read one by one instead.
	}
}
