import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { asNodeError, operationError } from '../shared/errors';
import type { Exchange, Send, ServiceApi } from '../shared/serviceApi';
import { skipIfRecordedOn } from '../shared/toolCall';
import { centsOf, pathIds } from './records';

/*
 * The payments already on an invoice: how a payment is matched against them, a create whose answer was lost
 * found again, and the option "Skip If Already Recorded".
 */

/** A look-back for "was this payment just recorded?": allows for clocks a little apart. */
const CREATED_WINDOW_MS = 10 * 60_000;

/**
 * The invoice lists its payments: the one sent is there when a payment has the same date, the same amount
 * (compared in cents), the same transaction identifier, and was recorded since shortly before it was sent.
 */
export const findCreated: NonNullable<ServiceApi['findCreated']> = async function (request, sentAt, send, createdBefore) {
	const sent = sentPayment(request);
	if (!sent || centsOf(sent.price) === undefined) return undefined;
	let payments: IDataObject[] | undefined;
	try {
		payments = await invoicePayments(request, send);
	} catch {
		return undefined;
	}
	if (!payments) return undefined;

	const earliest = sentAt.getTime() - CREATED_WINDOW_MS;
	const candidates = payments.filter(
		(payment) => !createdBefore.has(String(payment.id)) && matchesPayment(payment, sent, 'sameRequest'),
	);
	const times = candidates.map((payment) => Date.parse(String(payment.created_at)));
	// A candidate without a readable time might be the one sent: then nobody can tell.
	if (times.some(Number.isNaN)) return undefined;
	const recent = candidates.filter((_, index) => times[index] >= earliest);
	if (recent.length === 1) return recent[0];
	return recent.length === 0 ? false : undefined;
};

/** The `payment` a create request sends, after its input checks. */
function sentPayment(request: IHttpRequestOptions): IDataObject | undefined {
	return (request.body as { payment?: IDataObject } | undefined)?.payment;
}

/**
 * The payments on the invoice of a payments request, read from the invoice (`undefined` when the path names no
 * invoice or the answer lists none). The read goes through the runner's `send`, so it waits and retries as any.
 */
export async function invoicePayments(request: IHttpRequestOptions, send: Send): Promise<IDataObject[] | undefined> {
	const { administration, invoice } = pathIds(request.url);
	if (!administration || !invoice) return undefined;
	const response = await send({
		method: 'GET',
		url: `/${administration}/external_sales_invoices/${invoice}.json`,
		headers: request.headers,
		json: true,
		timeout: request.timeout,
	});
	const payments = (response.body as { payments?: unknown } | undefined)?.payments;
	return Array.isArray(payments) ? (payments as IDataObject[]) : undefined;
}

/**
 * How a payment on the invoice is compared with the one an item sends; the one place payments are matched.
 * - `sameRequest`: the same date, the same amount in cents and the same transaction identifier (none equals
 *   none). Is this the payment that was just sent?
 * - `sameMoney`: when both have a transaction identifier, the identifiers decide (a bank and a sheet may date
 *   one transaction differently); otherwise the same date and the same amount in cents. Was this money
 *   already recorded, by anyone?
 */
function matchesPayment(recorded: IDataObject, sent: IDataObject, rule: 'sameRequest' | 'sameMoney'): boolean {
	const cents = centsOf(sent.price);
	const sameDateAndAmount =
		cents !== undefined && recorded.payment_date === sent.payment_date && centsOf(recorded.price) === cents;
	const recordedIdentifier = identifierOf(recorded);
	const sentIdentifier = identifierOf(sent);
	if (rule === 'sameRequest') return sameDateAndAmount && recordedIdentifier === sentIdentifier;
	if (recordedIdentifier !== null && sentIdentifier !== null) return recordedIdentifier === sentIdentifier;
	return sameDateAndAmount;
}

/** A transaction identifier as compared: trimmed text, or null when there is none. */
function identifierOf(payment: IDataObject): string | null {
	const value = payment.transaction_identifier;
	if (value === undefined || value === null) return null;
	const text = String(value).trim();
	return text === '' ? null : text;
}

/** Why an item that could not read its invoice's payments recorded nothing. */
const NOT_CHECKED =
	'Nothing was recorded for this item: with "Skip If Already Recorded" on, the payments already on the invoice are read first, and that read did not succeed.';

/**
 * Create's exchange: with the option "Skip If Already Recorded" on, the item first reads the invoice and, when
 * the payment is already on it (see `matchesPayment`, `sameMoney`), outputs that payment with
 * `alreadyRecorded: true` instead of recording it again; otherwise it records it and outputs the new payment
 * with `alreadyRecorded: false`. Items run one at a time in input order, so a row repeated later in the same
 * run finds the payment an earlier row recorded. With the option off, the item sends its create alone.
 */
export const skipIfAlreadyRecorded: Exchange = async function (request, send, toItems) {
	const options = request.options as IHttpRequestOptions;
	// On by default for the node used as an AI tool (toolCall.ts).
	if (!skipIfRecordedOn(this)) {
		return await toItems(await send(options));
	}
	const sent = sentPayment(options) ?? {};
	let payments: IDataObject[] | undefined;
	try {
		payments = await invoicePayments(options, send);
	} catch (error) {
		const nodeError = asNodeError(this.getNode(), error);
		nodeError.description = [nodeError.description, NOT_CHECKED].filter(Boolean).join(' ');
		throw nodeError;
	}
	if (!payments) {
		const { invoice } = pathIds(options.url);
		throw operationError(this.getNode(), `Moneybird did not list the payments of external sales invoice ${invoice}`, {
			itemIndex: this.getItemIndex(),
			description: NOT_CHECKED,
		});
	}
	const recorded = payments.find((payment) => matchesPayment(payment, sent, 'sameMoney'));
	if (recorded) return [{ json: { ...recorded, alreadyRecorded: true } }];
	const created = await toItems(await send(options));
	return created.map((item) => ({ ...item, json: { ...item.json, alreadyRecorded: false } }));
};

