import type { IHttpRequestOptions } from 'n8n-workflow';

import type { FailureText } from '../shared/errors';
import { pathIds } from './records';
import type { PathIds } from './records';

/* Moneybird's refusals in its own words, pointing at the node's own field names. */

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

/** A failed answer in Moneybird's words, with what to check. */
export function describeFailure(status: number, body: unknown, request: IHttpRequestOptions): FailureText {
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
}
