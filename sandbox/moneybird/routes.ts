/**
 * The Moneybird sandbox's request handler: the OAuth2 token endpoint, then the route table (the `.json` paths the
 * nodes use, each with the scopes that may call it), auth (auth.ts), and the route's answer.
 */
import { ok } from '../server';
import type { ApiResponse, RecordedRequest } from '../server';
import { authenticate, checkScopes } from './auth';
import type { MoneybirdScope } from './auth';
import { oauthToken, TOKEN_PATH } from './oauth';
import { periodRange } from './periods';
import type { Administration } from './records';
import { error, invoiceJson, recordNotFound } from './responses';
import type { MoneybirdState } from './state';
import { validatePayment } from './validation';
import { WEBHOOK_ROUTES } from './webhooks';

export const API_PREFIX = '/api/v2';

type RouteName =
	| 'administrations'
	| 'listInvoices'
	| 'getInvoice'
	| 'createPayment'
	| 'deletePayment'
	| 'financialAccounts'
	| 'ledgerAccounts'
	| 'webhooks';

const ID = /^\d+$/;

function matchRoute(method: string, s: string[]): { name: RouteName; scopes: MoneybirdScope[] } | undefined {
	const ids = (...indexes: number[]) => indexes.every((i) => ID.test(s[i]));
	if (method === 'GET' && s.length === 1 && s[0] === 'administrations') return { name: 'administrations', scopes: [] };
	if (!ids(0)) return undefined;
	const path = s.slice(1).map((part, i) => (ID.test(part) && i > 0 ? ':id' : part)).join('/');
	const table: Record<string, { name: RouteName; scopes: MoneybirdScope[] }> = {
		'GET external_sales_invoices': { name: 'listInvoices', scopes: ['sales_invoices'] },
		'GET external_sales_invoices/:id': { name: 'getInvoice', scopes: ['sales_invoices'] },
		'POST external_sales_invoices/:id/payments': { name: 'createPayment', scopes: ['sales_invoices'] },
		'DELETE external_sales_invoices/:id/payments/:id': { name: 'deletePayment', scopes: ['sales_invoices'] },
		'GET financial_accounts': { name: 'financialAccounts', scopes: ['settings'] },
		'GET ledger_accounts': {
			name: 'ledgerAccounts',
			scopes: ['settings', 'sales_invoices', 'documents', 'estimates'],
		},
		...WEBHOOK_ROUTES,
	};
	return table[`${method} ${path}`];
}

export function handleMoneybird(state: MoneybirdState, request: RecordedRequest): ApiResponse | Promise<ApiResponse> {
	if (request.path === TOKEN_PATH) return oauthToken(state, request);
	const routeNotFound = error(404, `No route matches [${request.method}] "${request.path}"`);
	if (!request.path.startsWith(API_PREFIX + '/') || !request.path.endsWith('.json')) return routeNotFound;
	const segments = request.path.slice(API_PREFIX.length + 1, -'.json'.length).split('/');
	const route = matchRoute(request.method, segments);
	if (!route) return routeNotFound;

	const auth = authenticate(state, request);
	if ('status' in auth) return auth;
	const forbidden = checkScopes(auth, route.scopes);
	if (forbidden) return forbidden;
	if (route.name === 'administrations') return ok(state.administrations);

	const administration = state.administration(segments[0]);
	if (!administration) return recordNotFound('administration_id');
	switch (route.name) {
		case 'listInvoices':
			return listInvoices(state, request, administration);
		case 'getInvoice': {
			const invoice = state.invoice(administration.id, segments[2]);
			// The documented 404 for this endpoint (Returns404WhenInvoiceDoesNotExist).
			if (!invoice) return error(404, 'Record not found for model name: External invoice');
			return ok(invoiceJson(state, invoice));
		}
		case 'createPayment':
			return createPayment(state, request, administration, segments[2]);
		case 'deletePayment':
			return deletePayment(state, administration, segments[2], segments[4]);
		case 'financialAccounts':
			return ok(state.financialAccounts.filter((a) => a.administration_id === administration.id && a.active));
		case 'ledgerAccounts':
			return ok(state.ledgerAccounts.filter((a) => a.administration_id === administration.id));
		case 'webhooks':
			return state.webhooks.handle(request, administration.id, segments.slice(1));
	}
}

function listInvoices(state: MoneybirdState, request: RecordedRequest, administration: Administration): ApiResponse {
	const perPage = parsePositive(request.query.per_page, 50);
	if (perPage === undefined || perPage > 100) return error(400, 'per_page does not have a valid value');
	const page = parsePositive(request.query.page, 1);
	if (page === undefined) return error(400, 'page does not have a valid value');

	const filter = parseFilter(request.query.filter, ['state', 'period', 'contact_id']);
	if (typeof filter === 'string') return error(400, filter, { filter: 'invalid' });
	let invoices = state.invoices.filter((i) => i.administrationId === administration.id);

	const period = filter.get('period');
	if (period !== undefined) {
		const range = periodRange(period, state.today(administration));
		if (!range) return error(400, `Filter period:${period} is invalid`, { filter: 'invalid' });
		invoices = invoices.filter((i) => i.date >= range[0] && i.date <= range[1]);
	}
	const states = filter.get('state');
	if (states !== undefined) {
		const wanted = states.split('|');
		const known = ['all', 'new', 'open', 'late', 'paid'];
		if (wanted.some((s) => !known.includes(s))) {
			return error(400, `Filter state:${states} is invalid`, { filter: 'invalid' });
		}
		if (!wanted.includes('all')) invoices = invoices.filter((i) => wanted.includes(state.invoiceState(i)));
	}
	const contactId = filter.get('contact_id');
	if (contactId !== undefined) {
		if (!/^\d+$/.test(contactId) || !state.contact(administration.id, contactId)) {
			return recordNotFound('contact_id');
		}
		invoices = invoices.filter((i) => i.contactId === contactId);
	}

	invoices.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : compareIds(b.id, a.id)));
	const pageItems = invoices.slice((page - 1) * perPage, page * perPage);
	const links: string[] = [];
	const pageUrl = (n: number): string => {
		const params = new URLSearchParams(request.query);
		params.set('page', String(n));
		return `http://${request.headers.host ?? '127.0.0.1'}${request.path}?${params.toString()}`;
	};
	if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
	if (page * perPage < invoices.length) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
	const headers: Record<string, string> = { 'X-Total-Count': String(invoices.length) };
	if (links.length > 0) headers.Link = links.join(', ');
	return ok(
		pageItems.map((i) => invoiceJson(state, i)),
		headers,
	);
}

/** A create that passes validation.ts: the payment goes on the invoice (which is paid once nothing is unpaid). */
function createPayment(
	state: MoneybirdState,
	request: RecordedRequest,
	administration: Administration,
	invoiceId: string,
): ApiResponse {
	const valid = validatePayment(state, request, administration, invoiceId);
	if ('status' in valid) return valid;
	const { invoice, ids, price, priceBase } = valid;
	const mutation = state.financialMutations.find((m) => m.id === ids.financial_mutation_id);
	const created = state.newPayment(invoice, {
		price,
		priceBase: priceBase ?? (invoice.currency === administration.currency ? price : 0n),
		paymentDate: valid.paymentDate,
		transactionIdentifier: valid.transactionIdentifier ?? null,
		manualPaymentAction: valid.action ?? null,
		financialAccountId: ids.financial_account_id ?? mutation?.financial_account_id ?? null,
		financialMutationId: ids.financial_mutation_id ?? null,
		ledgerAccountId: ids.ledger_account_id ?? null,
		// payment_response has no field for the settled document; the settlement shows as credit_invoice_id.
		creditInvoiceId: ids.invoice_id ?? null,
	});
	const stateBefore = state.invoiceState(invoice);
	invoice.payments.push(created);
	invoice.updatedAt = created.created_at;
	state.webhooks.paymentChanged('payment_registered', created, stateBefore, invoiceJson(state, invoice));
	return { status: 201, body: created };
}

function deletePayment(state: MoneybirdState, administration: Administration, invoiceId: string, paymentId: string): ApiResponse {
	const invoice = state.invoice(administration.id, invoiceId);
	if (!invoice) return recordNotFound('invoice_id');
	const index = invoice.payments.findIndex((p) => p.id === paymentId);
	if (index < 0) return recordNotFound('id');
	const stateBefore = state.invoiceState(invoice);
	const [deleted] = invoice.payments.splice(index, 1);
	invoice.updatedAt = state.timestamp();
	state.webhooks.paymentChanged('payment_destroyed', deleted, stateBefore, invoiceJson(state, invoice));
	return { status: 204 };
}

function compareIds(a: string, b: string): number {
	return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function parsePositive(value: string | undefined, fallback: number): number | undefined {
	if (value === undefined) return fallback;
	if (!/^\d{1,9}$/.test(value) || Number(value) < 1) return undefined;
	return Number(value);
}

/** `key:value,key:value` → Map; an unknown key or a malformed term → an error message. */
function parseFilter(filter: string | undefined, keys: string[]): Map<string, string> | string {
	const terms = new Map<string, string>();
	if (filter === undefined || filter === '') return new Map([['period', 'this_year']]);
	for (const term of filter.split(',')) {
		const colon = term.indexOf(':');
		const key = term.slice(0, colon);
		if (colon < 1 || !keys.includes(key)) return `Filter ${term} is invalid`;
		terms.set(key, term.slice(colon + 1));
	}
	return terms;
}
