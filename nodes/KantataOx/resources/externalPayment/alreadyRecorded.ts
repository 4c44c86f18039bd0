import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { kantataApi } from '../../../Kantata/kantataApi';
import { keyOf, messageWithKey, toPaymentKey } from '../../../Kantata/paymentKey';
import { byKey, paymentsSince, projectPayments, sentPayment } from '../../../Kantata/recordedPayments';
import { formatCents } from '../../../shared/amounts';
import { asNodeError, operationError } from '../../../shared/errors';
import { keepFirst, keyReused } from '../../../shared/keyReuse';
import { rowOf } from '../../../shared/rows';
import { onceAfterEveryItem, whenEveryItemSettled } from '../../../shared/runQueue';
import { inputCheck, oncePerRun, requestRunner } from '../../../shared/routingAdapter';
import type { Exchange } from '../../../shared/serviceApi';
import { isToolCall, skipIfRecordedOn } from '../../../shared/toolCall';
import { checkParameter, checkValue, InvalidValue, isEmpty } from '../../../shared/validation';

/*
 * Create's Payment Key and its option "Skip If Already Recorded": each project's payments are listed once per
 * run, at the turn of its first item, and indexed by the key their message carries; an item whose key is there
 * for the same payment records nothing, and one whose key is there for another payment is refused. Items run one
 * at a time in input order, so a key repeated later in the run finds the payment an earlier item recorded.
 */

/** One project's payments in this run: by key, the keys whose create failed (item index), and those being sent. */
interface RecordedKeys {
	payments: Map<string, IDataObject>;
	failed: Map<string, number>;
	/** With Requests in Parallel above 1, an item waits for one of the same key under way, then looks again. */
	sending: Map<string, Promise<unknown>>;
	/** Every payment seen with each key, by ID: after the run's creates, each key's first payment is the one kept. */
	withKey: Map<string, Map<string, IDataObject>>;
	/**
	 * Where the look after the run's creates starts: a little before the newest payment the listing showed, in the
	 * API's time (from the start when it showed none), so it sees every payment recorded since the listing.
	 */
	lookFrom: string;
}

/** How far before the listing's newest payment the look starts: a create under way then may be recorded earlier. */
const LOOK_BACK_MS = 60_000;

/** The project's payments by key, listed by the run's first item that asks, shared by all its items. */
async function recordedKeys(context: IExecuteSingleFunctions, project: string): Promise<RecordedKeys> {
	return await oncePerRun(context, kantataApi, `kantata payments ${project}`, async (send) => {
		const payments = await projectPayments(send, project);
		const newest = Math.max(0, ...payments.map((payment) => Date.parse(String(payment.created_at))).filter((time) => !Number.isNaN(time)));
		const lookFrom = new Date(Math.max(0, newest - LOOK_BACK_MS)).toISOString();
		const recorded: RecordedKeys = { payments: byKey(payments), failed: new Map(), sending: new Map(), withKey: new Map(), lookFrom };
		seen(recorded, payments);
		return recorded;
	});
}

/** Notes payments under their key. */
function seen(recorded: RecordedKeys, payments: IDataObject[]): void {
	for (const payment of payments) {
		const key = keyOf(payment.message);
		if (key === undefined) continue;
		let byId = recorded.withKey.get(key);
		if (!byId) recorded.withKey.set(key, (byId = new Map()));
		byId.set(String(payment.id), payment);
	}
}

/**
 * Overlapping runs (two executions of one sheet, two queue-mode workers): each listed the project before the
 * other recorded, so both record a key. The API is the only truth both share, so once every item of the run
 * settled, the run looks at the project's payments recorded since its listing (once, for all its items): of two
 * payments with one key the first recorded (lowest ID) is kept, and a run whose payment came later deletes it
 * and outputs the first as already recorded. The run that created later looks later, so it sees both, and one
 * payment stays. A look that fails leaves the payment, as any create's.
 */
async function keptForKey(
	context: IExecuteSingleFunctions,
	send: Parameters<Exchange>[1],
	recorded: RecordedKeys,
	project: string,
	payment: IDataObject,
	created: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const key = String(keyOf(payment.message));
	const mine = created[0].json;
	const recordedNow = created.map((item) => ({ ...item, json: { ...item.json, alreadyRecorded: false } }));
	try {
		await onceAfterEveryItem(context, `kantata look ${project}`, async () => {
			seen(recorded, await paymentsSince(send, project, recorded.lookFrom));
		});
	} catch {
		return recordedNow;
	}
	const same = [...(recorded.withKey.get(key)?.values() ?? [])];
	const first = await keepFirst(context, mine, same, async () => await send({ method: 'DELETE', url: `/external_payments/${String(mine.id)}.json`, json: true }));
	if (first === mine) return recordedNow;
	recorded.withKey.get(key)?.delete(String(mine.id));
	recorded.payments.set(key, first);
	if (!isSamePayment(first, payment)) throw reusedBy(context, key, first, project, payment);
	return [{ json: { ...first, alreadyRecorded: true } }];
}

/**
 * The key of a tool call given none: what it pays (the invoice, or the amount) and the day, in the workflow's
 * time zone, e.g. `agent-2025-03-01-invoice-123` or `agent-2025-03-01-amount-1050.25`. The project is the
 * listing's own. So an agent repeating a call the same day records once; a separate payment of the same amount
 * on the same day needs a Payment Key of its own.
 */
function toolKey(context: IExecuteSingleFunctions, payment: IDataObject): string {
	const day = new Intl.DateTimeFormat('en-CA', { timeZone: context.getTimezone(), year: 'numeric', month: '2-digit', day: '2-digit' });
	const date = day.format(new Date());
	if (payment.invoice_id !== undefined) return `agent-${date}-invoice-${String(payment.invoice_id)}`;
	const cents = BigInt(payment.amount_in_cents as number);
	return `agent-${date}-amount-${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * Create's second preSend: the Payment Key checked and added to the message as its tag. With the option on, a
 * key is required; as an AI tool, a call without one gets `toolKey`. (The project's payments are listed at the
 * item's turn, so a refused row costs no request.)
 */
export const paymentKeyRequest = inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
	const skip = skipIfRecordedOn(this);
	const key = checkParameter(this, 'paymentKey', 'Payment Key', (value) => {
		if (!isEmpty(value)) return toPaymentKey(value);
		if (skip && isToolCall(this)) return toolKey(this, sentPayment(options));
		if (skip) throw new InvalidValue('it is empty; Skip If Already Recorded needs a key to tell this payment from the others');
		return undefined;
	});
	if (key === undefined) return options;
	const payment = sentPayment(options);
	const message = payment.message as string | undefined;
	payment.message = checkValue(this, 'Message and Payment Key', message, () => messageWithKey(message, key));
	return options;
});

const invoiceOf = (payment: IDataObject): string | undefined =>
	payment.invoice_id === undefined || payment.invoice_id === null || payment.invoice_id === '' ? undefined : String(payment.invoice_id);

/**
 * Whether a recorded payment is the one a row sends again: for the same invoice (the payment then takes the
 * invoice's amount), or, for no invoice, the same amount in cents.
 */
function isSamePayment(recorded: IDataObject, sent: IDataObject): boolean {
	if (invoiceOf(recorded) !== invoiceOf(sent)) return false;
	if (invoiceOf(sent) !== undefined) return true;
	return String(recorded.amount_in_cents) === String(sent.amount_in_cents);
}

/** A payment in a bookkeeper's words: "10.50 for invoice 456", "for invoice 456" (a row), "10.50 without an invoice". */
function paymentText(payment: IDataObject): string {
	const cents = String(payment.amount_in_cents);
	const amount = /^-?\d+$/.test(cents) ? `${formatCents(BigInt(cents))} ` : '';
	const invoice = invoiceOf(payment);
	return `${amount}${invoice === undefined ? 'without an invoice' : `for invoice ${invoice}`}`;
}

function reusedBy(context: IExecuteSingleFunctions, key: string, recorded: IDataObject, project: string, row: IDataObject) {
	return keyReused(context, {
		field: 'Payment Key',
		key,
		recorded: `${paymentText(recorded)} (payment ${String(recorded.id)}) in project ${project}`,
		row: paymentText(row),
		fix: 'If this row is another payment, give it a Payment Key of its own; if the recorded payment is wrong, delete it in Kantata OX first, then run the row again.',
	});
}

/** Why an item whose project's payments could not be listed recorded nothing. */
const NOT_CHECKED =
	'Nothing was recorded for this item: with "Skip If Already Recorded" on, the project\'s payments are listed first, and that did not succeed.';

/**
 * Create's exchange. With the option on, an item whose key is among the project's payments for the same payment
 * (`isSamePayment`) outputs it with `alreadyRecorded: true` and sends nothing, and one whose key is there for
 * another payment is refused (keyReuse.ts); otherwise it records the payment, outputs it with
 * `alreadyRecorded: false` and adds it to the run's index. With the option off, the item sends its create alone.
 */
export const skipIfAlreadyRecorded: Exchange = async function (request, send, toItems) {
	const options = request.options as IHttpRequestOptions;
	// The option as set; on by default for the node used as an AI tool (toolCall.ts).
	if (!skipIfRecordedOn(this)) return await toItems(await send(options));
	const payment = sentPayment(options);
	const key = String(keyOf(payment.message));
	const project = String(payment.workspace_id);
	let recorded: RecordedKeys;
	try {
		recorded = await recordedKeys(this, project);
	} catch (error) {
		// The listing's error is shared by the project's items: each gets its own, naming it.
		const cause = error as Error & { description?: string };
		throw operationError(this.getNode(), `Kantata OX's payments in project ${project} could not be listed: ${cause.message}`, {
			itemIndex: this.getItemIndex(),
			description: [cause.description, NOT_CHECKED].filter(Boolean).join(' '),
		});
	}
	for (let underWay = recorded.sending.get(key); underWay; underWay = recorded.sending.get(key)) await underWay.catch(() => {});
	const found = recorded.payments.get(key);
	if (found && isSamePayment(found, payment)) return [{ json: { ...found, alreadyRecorded: true } }];
	if (found) throw reusedBy(this, key, found, project, payment);

	// That earlier create may have been recorded without the run knowing (Continue On Fail): sending this one could
	// record it twice. (The item itself, tried again by Retry On Fail, goes on: the transport looks for a lost create.)
	const failedItem = recorded.failed.get(key);
	if (failedItem !== undefined && failedItem !== this.getItemIndex()) {
		const earlier = rowOf(failedItem);
		throw operationError(this.getNode(), `The create of ${earlier}, with the same Payment Key "${key}", failed, so this one was not sent`, {
			itemIndex: this.getItemIndex(),
			description: `Nothing was sent for ${rowOf(this)}. See the error of ${earlier}, then run the rows again with Skip If Already Recorded on.`,
		});
	}
	let created;
	const sending = (async () => await toItems(await send(options)))();
	recorded.sending.set(key, sending);
	try {
		created = await sending;
	} catch (error) {
		recorded.failed.set(key, this.getItemIndex());
		throw asNodeError(this.getNode(), error);
	} finally {
		recorded.sending.delete(key);
	}
	recorded.failed.delete(key);
	for (const item of created) recorded.payments.set(key, item.json);
	seen(recorded, created.map((item) => item.json));
	if (created[0]?.json.id !== undefined) whenEveryItemSettled(this, async () => await keptForKey(this, send, recorded, project, payment, created));
	return created.map((item) => ({ ...item, json: { ...item.json, alreadyRecorded: false } }));
};

/** Create's runner: its requests go through the engine adaptation (routingAdapter.ts) and the exchange above. */
export const runKantataCreate = requestRunner(kantataApi, skipIfAlreadyRecorded);
