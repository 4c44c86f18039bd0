import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { formatCents } from '../shared/amounts';
import { asNodeError, operationError } from '../shared/errors';
import { keepFirst, keyReused } from '../shared/keyReuse';
import { CREATED_WINDOW_MS } from '../shared/serviceApi';
import type { Exchange, ServiceApi } from '../shared/serviceApi';
import { rowOf } from '../shared/rows';
import { onceAfterEveryItem, runMemoryOf, whenEveryItemSettled } from '../shared/runQueue';
import { skipIfRecordedOn } from '../shared/toolCall';
import { forgetPayment, invoiceOfRequest, learnPayment, readInvoice } from './knownInvoices';
import type { KnownInvoice } from './knownInvoices';
import { centsOf, pathIds } from './records';

/*
 * The payments already on an invoice: how a payment is matched against them, a create whose answer was lost
 * found again, and the option "Skip If Already Recorded".
 */

/**
 * The invoice lists its payments: the one sent is there when a payment has the same date, the same amount
 * (compared in cents), the same transaction identifier, and was recorded since shortly before it was sent.
 */
export const findCreated: NonNullable<ServiceApi['findCreated']> = async function (request, sentAt, send, createdBefore) {
	const sent = sentPayment(request);
	if (!sent || centsOf(sent.price) === undefined) return undefined;
	let payments: IDataObject[] | undefined;
	try {
		// Read afresh: what the run knew of the invoice predates this create. The run then knows the new read.
		payments = (await readInvoice(this, request, send))?.payments;
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
const NOT_CHECKED = {
	skip: 'Nothing was recorded for this item: with "Skip If Already Recorded" on, the payments already on the invoice are read first, and that read did not succeed.',
	overpayment:
		'Nothing was recorded for this item: with "Refuse Overpayment" on, the invoice is read first (once per run) to see what is left to pay, and that read did not succeed.',
};

/**
 * Create's exchange. The invoice is needed when "Skip If Already Recorded" is on, or "Refuse Overpayment" is on
 * (the default) and the amount is positive; it is then taken from what the run knows (knownInvoices.ts), and
 * read only when the run has not read or listed it yet. With Skip on, a payment already on the invoice (see
 * `matchesPayment`, `sameMoney`) is output with `alreadyRecorded: true` instead of being recorded again;
 * otherwise the new payment is output with `alreadyRecorded: false`. With Refuse Overpayment on, an amount
 * above what is left to pay is refused before it is sent. Items run one at a time in input order, and each
 * payment recorded is added to what the run knows, so a later row of the same run sees it.
 */
export const skipIfAlreadyRecorded: Exchange = async function (request, send, toItems) {
	const options = request.options as IHttpRequestOptions;
	// On by default for the node used as an AI tool (toolCall.ts).
	const skip = skipIfRecordedOn(this);
	const sent = sentPayment(options) ?? {};
	const cents = centsOf(sent.price);
	const checkOverpayment = (this.getNodeParameter('options.refuseOverpayment', true) as boolean) && cents !== undefined && cents > 0n;
	const { administration = '', invoice = '' } = pathIds(options.url);
	if (skip || checkOverpayment) {
		const why = skip ? NOT_CHECKED.skip : NOT_CHECKED.overpayment;
		let known: KnownInvoice | undefined;
		try {
			known = await invoiceOfRequest(this, options, send);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			nodeError.description = [nodeError.description, why].filter(Boolean).join(' ');
			throw nodeError;
		}
		if (!known) {
			throw operationError(this.getNode(), `Moneybird did not list the payments of external sales invoice ${invoice}`, {
				itemIndex: this.getItemIndex(),
				description: why,
			});
		}
		if (skip) {
			const recorded = recordedMatch(known.payments, sent);
			const reused = identifierReused(this, administration, invoice, sent, recorded);
			if (reused) throw reused;
			if (recorded) {
				noteIdentifier(this, administration, invoice, sent, recorded);
				return [{ json: { ...recorded, alreadyRecorded: true } }];
			}
		}
		if (checkOverpayment && known.openCents !== undefined && cents > known.openCents) {
			throw overpayment(this, invoice, known.openCents, cents);
		}
	}
	const response = await send(options);
	learnPayment(this, administration, invoice, response.body);
	const body = response.body as IDataObject | undefined;
	const mine = body && typeof body === 'object' && body.id !== undefined ? body : undefined;
	const created = await toItems(response);
	if (!skip) return created;
	noteIdentifier(this, administration, invoice, sent, mine ?? sent);
	const recordedNow = created.map((item) => ({ ...item, json: { ...item.json, alreadyRecorded: false } }));
	if (mine) whenEveryItemSettled(this, async () => await keptPayment(this, options, send, sent, mine, recordedNow));
	return recordedNow;
};

/**
 * Overlapping runs (two executions of one sheet, two queue-mode workers): each read the invoice before the other
 * recorded, so both record the payment. The API is the only truth both share, so once every item of the run
 * settled, the run reads each invoice it recorded on again (once, for all its items): of the payments that are
 * this one (its transaction identifier, or without one its date and amount), the first recorded (lowest ID) is
 * kept, and a run whose payment came later deletes it and outputs the first as already recorded. The run that
 * created later reads later, so it sees both, and one payment stays. A read that fails leaves the payment, as
 * any create's.
 */
async function keptPayment(
	context: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
	send: Parameters<Exchange>[1],
	sent: IDataObject,
	mine: IDataObject,
	recordedNow: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { administration = '', invoice = '' } = pathIds(request.url);
	let payments: IDataObject[] | undefined;
	try {
		payments = await onceAfterEveryItem(context, `moneybird look ${administration} ${invoice}`, async () => (await readInvoice(context, request, send))?.payments);
	} catch {
		return recordedNow;
	}
	const identifier = identifierOf(sent);
	const same = (payments ?? []).filter((payment) =>
		identifier === null ? matchesPayment(payment, sent, 'sameMoney') : identifierOf(payment) === identifier,
	);
	const first = await keepFirst(context, mine, same, async () =>
		await send({ method: 'DELETE', url: `/${administration}/external_sales_invoices/${invoice}/payments/${String(mine.id)}.json`, json: true }),
	);
	if (first === mine) return recordedNow;
	forgetPayment(context, administration, invoice, mine);
	noteIdentifier(context, administration, invoice, sent, first);
	const reused = identifierReused(context, administration, invoice, sent, first);
	if (reused) throw reused;
	return [{ json: { ...first, alreadyRecorded: true } }];
}

/** The transaction identifiers this run recorded or found, per administration, with their invoice. */
function identifiersOfRun(context: IExecuteSingleFunctions, administration: string): Map<string, { invoice: string; payment: IDataObject }> {
	const known = runMemoryOf(context).known;
	const key = `transaction identifiers ${administration}`;
	let identifiers = known.get(key) as Map<string, { invoice: string; payment: IDataObject }> | undefined;
	if (!identifiers) known.set(key, (identifiers = new Map()));
	return identifiers;
}

/** The payment on the invoice a row's payment is: the one with its transaction identifier, else by `sameMoney`. */
function recordedMatch(payments: IDataObject[], sent: IDataObject): IDataObject | undefined {
	const identifier = identifierOf(sent);
	const byIdentifier = identifier === null ? undefined : payments.find((payment) => identifierOf(payment) === identifier);
	return byIdentifier ?? payments.find((payment) => matchesPayment(payment, sent, 'sameMoney'));
}

function noteIdentifier(context: IExecuteSingleFunctions, administration: string, invoice: string, sent: IDataObject, payment: IDataObject) {
	const identifier = identifierOf(sent);
	if (identifier !== null) identifiersOfRun(context, administration).set(identifier, { invoice, payment });
}

/**
 * A transaction identifier stands for one payment (keyReuse.ts): the row's identifier already recorded on this
 * invoice with another date or amount, or by this run on another invoice, refuses the row.
 */
function identifierReused(
	context: IExecuteSingleFunctions,
	administration: string,
	invoice: string,
	sent: IDataObject,
	recorded: IDataObject | undefined,
) {
	const identifier = identifierOf(sent);
	if (identifier === null) return undefined;
	const earlier = identifiersOfRun(context, administration).get(identifier);
	let other: { invoice: string; payment: IDataObject } | undefined;
	if (earlier && earlier.invoice !== invoice) other = earlier;
	else if (recorded && identifierOf(recorded) === identifier && !matchesPayment(recorded, sent, 'sameRequest')) other = { invoice, payment: recorded };
	if (!other) return undefined;
	const words = (payment: IDataObject) => `${moneyText(payment.price)} on ${String(payment.payment_date)}`;
	return keyReused(context, {
		field: 'Transaction Identifier',
		key: identifier,
		recorded: `${words(other.payment)}${other.payment.id === undefined ? '' : ` (payment ${String(other.payment.id)})`} on external sales invoice ${other.invoice}`,
		row: `${words(sent)} on external sales invoice ${invoice}`,
		fix: 'If this row is another payment, give it a transaction identifier of its own; if the recorded payment is wrong, delete it in Moneybird first, then run the row again.',
	});
}

const moneyText = (price: unknown): string => {
	const cents = centsOf(price);
	return cents === undefined ? String(price) : formatCents(cents);
};

function overpayment(context: IExecuteSingleFunctions, invoice: string, openCents: bigint, cents: bigint) {
	const itemIndex = context.getItemIndex();
	const open = openCents < 0n ? 0n : openCents;
	return operationError(
		context.getNode(),
		`Amount ${formatCents(cents)} in ${rowOf(context)} would overpay external sales invoice ${invoice}: ${formatCents(open)} is open`,
		{
			itemIndex,
			description: `Nothing was sent for ${rowOf(context)}. What is open counts the payments on the invoice and those recorded earlier in this run. To record more than is open, turn off Options > Refuse Overpayment.`,
		},
	);
}
