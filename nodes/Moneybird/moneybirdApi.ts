import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { parseAmount } from '../shared/amounts';
import type { Amount } from '../shared/amounts';
import { asNodeError, operationError } from '../shared/errors';
import type { FailureText } from '../shared/errors';
import { requestRunner } from '../shared/requestRunner';
import type { Exchange, Send, ServiceApi } from '../shared/requestRunner';
import type { IdRules } from '../shared/validation';

/** Moneybird IDs are 18-digit numbers, beyond JavaScript's safe integers: they stay strings end to end. */
export const MONEYBIRD_ID: IdRules = { maxDigits: 18 };

/** Moneybird's web app, for links to the records a node shows or names. */
export const WEB_APP = 'https://moneybird.com';

/** The `money` schema's range: ±1,000,000,000 in currency units, as cents. */
export const MAX_MONEY_CENTS = 100_000_000_000n;

/** A look-back for "was this payment just recorded?": allows for clocks a little apart. */
const CREATED_WINDOW_MS = 10 * 60_000;

/** The IDs in a request path such as `/{administration}/external_sales_invoices/{invoice}/payments/{id}.json`. */
export interface PathIds {
	administration?: string;
	invoice?: string;
	payment?: string;
}

export function pathIds(url: string | undefined): PathIds {
	const match = /^\/?(\d+)(?:\/external_sales_invoices(?:\/(\d+)(?:\/payments(?:\/(\d+))?)?)?)?(?:[/.?]|$)/.exec(url ?? '');
	return { administration: match?.[1], invoice: match?.[2], payment: match?.[3] };
}

export function invoiceWebUrl(administration: string, invoice: string): string {
	return `${WEB_APP}/${administration}/external_sales_invoices/${invoice}`;
}

/** What the node calls each field of a payment, for messages about Moneybird's field names. */
const FIELD_LABELS: Record<string, string> = {
	payment_date: 'Payment Date',
	price: 'Amount',
	price_base: 'Amount in Base Currency',
	financial_account_id: 'Financial Account',
	financial_mutation_id: 'Financial Mutation ID',
	transaction_identifier: 'Transaction Identifier',
	manual_payment_action: 'Manual Payment Action',
	ledger_account_id: 'Ledger Account',
	invoice_id: 'Invoice ID',
};

/** Moneybird's error bodies: `{ error: "…", symbolic: { … } }`, or for 422 `{ error: { field: ["…"] } }`. */
interface MoneybirdError {
	error?: unknown;
	symbolic?: unknown;
}

/** The `error` of an answer as one line of text: a string, each field with its messages, or a text body. */
function saidIn(body: unknown): string {
	if (typeof body === 'string') return oneLine(body);
	if (!body || typeof body !== 'object') return '';
	const { error } = body as MoneybirdError;
	if (typeof error === 'string') return oneLine(error);
	if (error && typeof error === 'object' && !Array.isArray(error)) {
		return Object.entries(error as Record<string, unknown>)
			.map(([field, messages]) => `${field}: ${(Array.isArray(messages) ? messages : [messages]).map(messageText).join(', ')}`)
			.join('; ');
	}
	return '';
}

function messageText(message: unknown): string {
	if (typeof message === 'string') return message;
	const error = (message as { error?: unknown } | null)?.error;
	return typeof error === 'string' ? error : JSON.stringify(message);
}

function oneLine(text: string): string {
	const line = text.trim().replace(/\s+/g, ' ');
	return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** `symbolic` flattened to `key: value` pairs, nested keys dotted: `payment.amount: unknown_attribute`. */
function symbolicPairs(symbolic: unknown, prefix = ''): Array<[string, string]> {
	if (!symbolic || typeof symbolic !== 'object') return [];
	return Object.entries(symbolic as Record<string, unknown>).flatMap(([key, value]): Array<[string, string]> =>
		value && typeof value === 'object' && !Array.isArray(value)
			? symbolicPairs(value, `${prefix}${key}.`)
			: [[`${prefix}${key}`, Array.isArray(value) ? value.join(', ') : String(value)]],
	);
}

function symbolicOf(body: unknown): Array<[string, string]> {
	return body && typeof body === 'object' ? symbolicPairs((body as MoneybirdError).symbolic) : [];
}

type RecordKind = 'administration' | 'invoice' | 'payment';

/** The record a 404 is about: the one `symbolic` names, else the last ID of the path. */
function missingRecord(body: unknown, ids: PathIds): RecordKind | undefined {
	const key = symbolicOf(body).find(([, value]) => value === 'not_found')?.[0];
	const deepest: RecordKind | undefined = ids.payment ? 'payment' : ids.invoice ? 'invoice' : ids.administration ? 'administration' : undefined;
	if (key === undefined || key === 'id') return deepest;
	if (key === 'administration_id') return 'administration';
	if (key === 'invoice_id') return 'invoice';
	return undefined;
}

function notFound(body: unknown, request: IHttpRequestOptions): FailureText {
	const ids = pathIds(request.url);
	const said = saidIn(body);
	const saidLine = said ? ` Moneybird said: ${said}.` : '';
	if (/no route/i.test(said)) {
		return {
			message: `Moneybird has no API address ${String(request.method ?? 'GET').toUpperCase()} ${request.url ?? ''}`,
			description: `Check the Base URL of the credential: it should be https://moneybird.com/api/v2.${saidLine}`,
		};
	}
	const { administration, invoice, payment } = ids;
	switch (missingRecord(body, ids)) {
		case 'administration':
			if (!administration) break;
			return {
				message: `Moneybird has no administration ${administration} that this credential can reach`,
				description: `Pick the administration from the list, or check that the Moneybird user behind the credential has access to it.${saidLine}`,
			};
		case 'invoice':
			if (!administration || !invoice) break;
			return {
				message: `Moneybird has no external sales invoice ${invoice} in administration ${administration}`,
				description: `Check the External Sales Invoice: it must be an external sales invoice of the chosen administration.${saidLine}`,
			};
		case 'payment':
			if (!administration || !invoice || !payment) break;
			return {
				message: `Moneybird has no payment ${payment} on external sales invoice ${invoice} in administration ${administration}`,
				description: `It may have been deleted already, or belong to another invoice.${saidLine}`,
			};
	}
	return { message: `Moneybird did not find ${request.url ?? 'the record'}${said ? `: ${said}` : ''}` };
}

function refused(body: unknown, request: IHttpRequestOptions): FailureText {
	const said = saidIn(body);
	const what = /\/payments\.json$/.test(request.url ?? '') ? 'the payment' : 'the request';
	const error = (body as MoneybirdError | undefined)?.error;
	const fields = error && typeof error === 'object' && !Array.isArray(error) ? Object.keys(error) : [];
	const labelled = fields.filter((field) => FIELD_LABELS[field]).map((field) => `${field} is "${FIELD_LABELS[field]}"`);
	return {
		message: `Moneybird refused ${what}: ${said || 'validation failed'}`,
		description: labelled.length ? `In this node, ${labelled.join(', ')}.` : undefined,
	};
}

export const moneybirdApi: ServiceApi = {
	name: 'Moneybird',
	// Credential types moneybirdApi (token) and moneybirdOAuth2Api, picked by the Authentication parameter.
	credentialPrefix: 'moneybird',

	describeFailure(status, body, request) {
		const said = saidIn(body);
		const symbolic = symbolicOf(body);
		switch (status) {
			case 400: {
				const details = symbolic.map(([key, value]) => `${key}: ${value}`).join(', ');
				return {
					message: `Moneybird refused the request as malformed${said ? `: ${said}` : ''}`,
					description: details ? `Moneybird pointed at ${details}.` : undefined,
				};
			}
			case 401:
				return {
					message: `Moneybird rejected the credential${said ? `: ${said}` : ''}`,
					description:
						'The access token is invalid or has expired. Check the API token in the credential, or reconnect the OAuth2 credential.',
				};
			case 402:
				return {
					message: `Moneybird asks for payment: the administration's plan does not allow this${said ? ` (${said})` : ''}`,
					description: "Check the Moneybird subscription of the administration; API access may need a higher plan.",
				};
			case 403: {
				const scopes = symbolic.filter(([key]) => key === 'scope').map(([, value]) => value);
				if (scopes.length) {
					return {
						message: `Moneybird refused access: the credential lacks the ${scopes.join(', ')} scope`,
						description: `For an API token, create a new one at https://moneybird.com/user/applications/new with the ${scopes.join(', ')} scope ticked; for OAuth2, reconnect the credential so it asks for that scope.${said ? ` Moneybird said: ${said}.` : ''}`,
					};
				}
				return {
					message: `Moneybird refused access${said ? `: ${said}` : ''}`,
					description: 'The Moneybird user behind the credential may not have access to this administration, or may not record payments in it.',
				};
			}
			case 404:
				return notFound(body, request);
			case 422:
				return refused(body, request);
			default:
				return { message: `Moneybird answered ${status}${said ? `: ${said}` : ''}` };
		}
	},

	howToCheckCreate(request, sentAt) {
		const { administration, invoice } = pathIds(request.url);
		const payment = (request.body as { payment?: IDataObject } | undefined)?.payment ?? {};
		const where = administration && invoice ? invoiceWebUrl(administration, invoice) : 'the invoice';
		const reference = payment.transaction_identifier ? ` with transaction identifier "${String(payment.transaction_identifier)}"` : '';
		return `Before running this item again, open ${where} in Moneybird and look for a payment of ${String(payment.price)} dated ${String(payment.payment_date)}${reference}, recorded at about ${sentAt.toISOString()}. Run the item again only if it is not there.`;
	},

	/**
	 * The invoice lists its payments: the one sent is there when a payment has the same date, the same amount
	 * (compared in cents), the same transaction identifier, and was recorded since shortly before it was sent.
	 */
	async findCreated(request, sentAt, send, createdBefore) {
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
	},
};

/** The `payment` a create request sends, after its input checks. */
function sentPayment(request: IHttpRequestOptions): IDataObject | undefined {
	return (request.body as { payment?: IDataObject } | undefined)?.payment;
}

/**
 * The payments on the invoice of a payments request, read from the invoice (`undefined` when the path names no
 * invoice or the answer lists none). The read goes through the runner's `send`, so it waits and retries as any.
 */
async function invoicePayments(request: IHttpRequestOptions, send: Send): Promise<IDataObject[] | undefined> {
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
const skipIfAlreadyRecorded: Exchange = async function (request, send, toItems) {
	const options = request.options as IHttpRequestOptions;
	if (!(this.getNodeParameter('options.skipIfAlreadyRecorded', false) as boolean)) {
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

/** An amount as Moneybird writes it (`121.0`, `"10,95"`, 121), read exactly, or undefined when it is not one. */
export function moneyOf(value: unknown): Amount | undefined {
	try {
		return parseAmount(value, { format: 'auto', minCents: -MAX_MONEY_CENTS, maxCents: MAX_MONEY_CENTS });
	} catch {
		return undefined;
	}
}

function centsOf(value: unknown): bigint | undefined {
	return moneyOf(value)?.cents;
}

/** Every Moneybird request goes through the shared runner (see requestRunner.ts); Create also through its exchange. */
export const runMoneybirdRequest = requestRunner(moneybirdApi);
export const runMoneybirdCreate = requestRunner(moneybirdApi, skipIfAlreadyRecorded);
