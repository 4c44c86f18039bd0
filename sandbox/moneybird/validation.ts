/**
 * The checks on a payment create, as the OpenAPI description (moneybird-openapi-subset.json) says Moneybird makes
 * them: JSON content type and body (400), the `{ payment: { … } }` wrapper with no unknown keys (400), then every
 * field at once (422 `{ error: { field: [messages] }, details: { field: [{ error, value? }] } }`): `money` and
 * `identifier` values, dates, the companion field of each `manual_payment_action`, references that must exist.
 */
import type { ApiResponse, RecordedRequest } from '../server';
import { JsonNumber, parseJsonLossless, plain } from './losslessJson';
import type { JsonObject, JsonValue } from './losslessJson';
import { MONEY_PATTERN, toCents } from './money';
import { parseDate } from './periods';
import type { Administration, Invoice } from './records';
import { error, recordNotFound } from './responses';
import type { MoneybirdState } from './state';

const MAX_MONEY_CENTS = 100_000_000_000n; // 1e9 in cents
const MAX_SAFE_ID = BigInt(Number.MAX_SAFE_INTEGER);
const ID = /^\d+$/;

const PAYMENT_FIELDS = [
	'payment_date',
	'price',
	'price_base',
	'financial_account_id',
	'financial_mutation_id',
	'transaction_identifier',
	'manual_payment_action',
	'ledger_account_id',
	'invoice_id',
];

/** Each `manual_payment_action` and the field it needs alongside ('' = none). */
const MANUAL_PAYMENT_ACTIONS: Record<string, string> = {
	private_payment: 'financial_account_id',
	payment_without_proof: '',
	cash_payment: 'financial_account_id',
	rounding_error: '',
	bank_transfer: 'financial_mutation_id',
	balance_settlement: 'ledger_account_id',
	invoices_settlement: 'invoice_id',
};

/** A create that passed every check (amounts in cents). */
export interface ValidPayment {
	invoice: Invoice;
	paymentDate: string;
	price: bigint;
	priceBase: bigint | undefined;
	/** financial_account_id, financial_mutation_id, ledger_account_id, invoice_id. */
	ids: Record<string, string | undefined>;
	transactionIdentifier: string | undefined;
	action: string | undefined;
}

export function validatePayment(
	state: MoneybirdState,
	request: RecordedRequest,
	administration: Administration,
	invoiceId: string,
): ValidPayment | ApiResponse {
	const contentType = String(request.headers['content-type'] ?? '');
	if (!/^application\/json\s*(;|$)/i.test(contentType)) {
		return error(400, `Content-Type must be application/json, got "${contentType || 'none'}"`, {
			content_type: 'invalid',
		});
	}
	let body: JsonValue;
	try {
		body = parseJsonLossless(request.rawBody);
	} catch (e) {
		return error(400, `Request body is not valid JSON: ${(e as Error).message}`, { body: 'invalid_json' });
	}
	const invoice = state.invoice(administration.id, invoiceId);
	if (!invoice) return recordNotFound('invoice_id');

	if (!(body instanceof Map)) return error(400, 'Payment is required', { payment: 'required' });
	for (const key of body.keys()) {
		if (key !== 'payment') return error(400, `Unknown attribute ${key}`, { [key]: 'unknown_attribute' });
	}
	const payment = body.get('payment');
	if (!(payment instanceof Map)) return error(400, 'Payment is required', { payment: 'required' });
	for (const key of payment.keys()) {
		if (!PAYMENT_FIELDS.includes(key)) {
			return error(400, `Unknown attribute ${key} in payment`, { payment: { [key]: 'unknown_attribute' } });
		}
	}

	const v = new Validation();
	const paymentDate = v.date(payment, 'payment_date');
	const price = v.money(payment, 'price', true);
	const priceBase = v.money(payment, 'price_base', false);
	const ids: Record<string, string | undefined> = {};
	for (const field of ['financial_account_id', 'financial_mutation_id', 'ledger_account_id', 'invoice_id']) {
		ids[field] = v.identifier(payment, field);
	}
	const transactionIdentifier = v.string(payment, 'transaction_identifier');
	const action = v.string(payment, 'manual_payment_action');

	if (action !== undefined) {
		const companion = MANUAL_PAYMENT_ACTIONS[action];
		if (companion === undefined) {
			v.add('manual_payment_action', 'is not included in the list', { error: 'inclusion', value: action });
		} else if (companion && !payment.has(companion)) {
			v.add(companion, "can't be blank", { error: 'blank' });
		}
	}
	if (priceBase === undefined && invoice.currency !== administration.currency && price !== undefined) {
		v.add('price_base', "can't be blank", { error: 'blank' });
	}
	const exists: Record<string, (id: string) => boolean> = {
		financial_account_id: (id) =>
			state.financialAccounts.some((a) => a.id === id && a.administration_id === administration.id),
		financial_mutation_id: (id) =>
			state.financialMutations.some((m) => m.id === id && m.administration_id === administration.id),
		ledger_account_id: (id) =>
			state.ledgerAccounts.some((a) => a.id === id && a.administration_id === administration.id),
		invoice_id: (id) => state.invoice(administration.id, id) !== undefined,
	};
	for (const [field, id] of Object.entries(ids)) {
		if (id !== undefined && !exists[field](id)) v.add(field, 'is not found', { error: 'invalid', value: id });
	}
	if (ids.invoice_id === invoice.id) {
		v.add('invoice_id', "can't settle an invoice against itself", { error: 'invalid', value: invoice.id });
	}
	if (v.failed || paymentDate === undefined || price === undefined) return v.response();
	return { invoice, paymentDate, price, priceBase, ids, transactionIdentifier, action };
}

class Validation {
	private readonly errors: Record<string, string[]> = {};
	private readonly details: Record<string, Array<Record<string, unknown>>> = {};

	get failed(): boolean {
		return Object.keys(this.errors).length > 0;
	}

	add(field: string, message: string, detail: Record<string, unknown>): void {
		(this.errors[field] ??= []).push(message);
		(this.details[field] ??= []).push(detail);
	}

	response(): ApiResponse {
		return { status: 422, body: { error: this.errors, details: this.details } };
	}

	/** `YYYY-MM-DD`, or an ISO datetime whose date part is taken (as the official example sends). */
	date(payment: JsonObject, field: string): string | undefined {
		const value = payment.get(field);
		if (value === undefined || value === null || value === '') {
			this.add(field, "can't be blank", { error: 'blank' });
			this.add(field, 'is not a valid date', { error: 'is not a valid date' });
			return undefined;
		}
		const date = typeof value === 'string' ? parseDate(value) : undefined;
		if (!date) this.add(field, 'is not a valid date', { error: 'is not a valid date', value: plain(value) });
		return date;
	}

	/** The `money` schema: a string `^-?[0-9]+[,.]?[0-9]*$` or a number, within ±1e9, or null. Returns cents. */
	money(payment: JsonObject, field: string, required: boolean): bigint | undefined {
		const value = payment.get(field);
		if (value === undefined || value === null || value === '') {
			if (required) {
				this.add(field, "can't be blank", { error: 'blank' });
				this.add(field, 'is not a number', { error: 'not_a_number', value: null });
			}
			return undefined;
		}
		const text = value instanceof JsonNumber ? value.raw : typeof value === 'string' ? value : undefined;
		const cents =
			text !== undefined && (value instanceof JsonNumber || MONEY_PATTERN.test(text)) ? toCents(text) : undefined;
		if (cents === undefined) {
			this.add(field, 'is not a number', { error: 'not_a_number', value: plain(value) });
		} else if (cents > MAX_MONEY_CENTS) {
			this.add(field, 'must be less than or equal to 1000000000', {
				error: 'less_than_or_equal_to',
				value: text,
				count: 1000000000,
			});
		} else if (cents < -MAX_MONEY_CENTS) {
			this.add(field, 'must be greater than or equal to -1000000000', {
				error: 'greater_than_or_equal_to',
				value: text,
				count: -1000000000,
			});
		} else {
			return cents;
		}
		return undefined;
	}

	/** The `identifier` schema: digits, as a string or an integer; an integer beyond 2^53 has lost digits. */
	identifier(payment: JsonObject, field: string): string | undefined {
		const value = payment.get(field);
		if (value === undefined) return undefined;
		if (typeof value === 'string' && ID.test(value)) return value;
		if (value instanceof JsonNumber && ID.test(value.raw)) {
			if (BigInt(value.raw) <= MAX_SAFE_ID) return BigInt(value.raw).toString();
			this.add(
				field,
				`is a JSON number beyond Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}): it cannot be exact, send IDs as strings`,
				{ error: 'unsafe_integer', value: value.raw },
			);
			return undefined;
		}
		this.add(field, 'is invalid', { error: 'invalid', value: plain(value) });
		return undefined;
	}

	string(payment: JsonObject, field: string): string | undefined {
		const value = payment.get(field);
		if (value === undefined || typeof value === 'string') return value;
		this.add(field, 'must be a string', { error: 'invalid', value: plain(value) });
		return undefined;
	}
}
