/* eslint-disable @typescript-eslint/no-empty-object-type -- dev-only code, never shipped (README, Releasing) */
/**
 * A stand-in for the Moneybird API v2 (only what the payments node uses), built on ApiTestServer.
 *
 * It checks requests the way the official OpenAPI description (moneybird-openapi-subset.json) says the real API
 * does: bearer token and scopes, `.json` paths, the `{ payment: { … } }` body with no unknown keys, `money` and
 * `identifier` values, the companion field of each `manual_payment_action`, and references that must exist.
 * Request bodies are read from the raw text with a lossless JSON reader, so an 18-digit ID sent as a JSON number
 * (which JavaScript has already rounded) is answered with a loud 422 instead of being booked against a wrong record.
 * IDs are strings everywhere here; amounts are integer cents in BigInt, never floats.
 */
import { randomBytes } from 'node:crypto';
import { ApiTestServer, type ApiResponse, type RecordedRequest } from './apiServer';
import { MoneybirdWebhooks, WEBHOOK_ROUTES } from './moneybirdWebhooks';

export const API_PREFIX = '/api/v2';

export const MONEYBIRD_SCOPES = [
	'sales_invoices',
	'documents',
	'estimates',
	'bank',
	'time_entries',
	'settings',
] as const;
export type MoneybirdScope = (typeof MONEYBIRD_SCOPES)[number];

export const DEFAULT_TOKEN = 'moneybird-test-token';
export const DEFAULT_REFRESH_TOKEN = 'moneybird-test-refresh-token';
export const DEFAULT_OAUTH_CLIENT = {
	clientId: 'moneybird-test-client-id',
	clientSecret: 'moneybird-test-client-secret',
};

/** IDs of the seeded records (all 18-digit strings, beyond Number.MAX_SAFE_INTEGER). */
export const MONEYBIRD_SEED = {
	userId: '458026357090000001',
	administrations: { main: '458026356994787289', second: '458026357001124865' },
	contacts: {
		webshop: '458026357010000001',
		jansen: '458026357010000002',
		acme: '458026357010000003',
		brussels: '458026357010000004',
	},
	invoices: {
		/** WS-1001, Webshop Klant B.V., 121.00 EUR, open. */
		open121: '458026357020000001',
		/** WS-1002, Jan Jansen, 60.50 EUR, open. */
		open60: '458026357020000002',
		/** WS-1003, Webshop Klant B.V., 1210.00 EUR, late. */
		late: '458026357020000003',
		/** WS-1004, Jan Jansen, 24.20 EUR, paid by one seeded payment. */
		paid: '458026357020000004',
		/** WS-1005, Webshop Klant B.V., 100.00 EUR, open, 40.00 paid (60.0 unpaid). */
		partial: '458026357020000005',
		/** US-2001, Acme Inc., 250.00 USD (229.50 EUR base), open. */
		usd: '458026357020000006',
		/** WS-0999, Jan Jansen, 99.99 EUR, open, dated 15 December of last year (outside the default period). */
		lastYear: '458026357020000007',
		/** KB-0001, Brasserie Kolibrie, 50.00 EUR, open, in the second administration. */
		second: '458026357020000008',
	},
	payments: { paid: '458026357030000001', partial: '458026357030000002' },
	financialAccounts: {
		bank: '458026357040000001',
		creditCard: '458026357040000002',
		secondBank: '458026357040000003',
	},
	ledgerAccounts: {
		debtors: '458026357050000001',
		suspense: '458026357050000002',
		revenue: '458026357050000003',
		secondDebtors: '458026357050000004',
		secondRevenue: '458026357050000005',
	},
	financialMutations: {
		ws1001: '458026357060000001',
		ws1002: '458026357060000002',
		second: '458026357060000003',
	},
} as const;

const TAX_RATE_ID = '458026357080000001';
const MAX_MONEY_CENTS = 100_000_000_000n; // 1e9 in cents
const MAX_SAFE_ID = BigInt(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------------------------
// Records. Where a record is returned as-is, it has exactly the fields of its response schema.

export interface Administration {
	id: string;
	name: string;
	language: 'nl' | 'nl-be' | 'en';
	currency: string;
	country: string;
	time_zone: string;
	access: 'accountant_company' | 'user';
	suspended: boolean;
	period_locked_until: string | null;
	period_start_date: string;
}

export interface Contact {
	id: string;
	administrationId: string;
	company_name: string | null;
	firstname: string | null;
	lastname: string | null;
	customer_id: string;
	email: string | null;
	country: string;
	city: string | null;
}

export interface FinancialAccount {
	id: string;
	administration_id: string;
	type: string;
	name: string;
	identifier: string;
	currency: string;
	provider: string | null;
	moneybird_account: boolean;
	active: boolean;
	created_at: string;
	updated_at: string;
}

export interface LedgerAccount {
	id: string;
	administration_id: string;
	name: string;
	account_type: string;
	account_id: string | null;
	parent_id: string | null;
	active: boolean;
	created_at: string;
	updated_at: string;
	allowed_document_types: string[];
	financial_account_id: string | null;
}

export interface FinancialMutation {
	id: string;
	administration_id: string;
	amount: string;
	code: string | null;
	date: string;
	message: string | null;
	contra_account_name: string | null;
	contra_account_number: string;
	state: 'unprocessed' | 'processed';
	settlement_state: string;
	amount_open: string;
	sepa_fields: null;
	batch_reference: string | null;
	financial_account_id: string;
	currency: string;
	original_amount: string | null;
	created_at: string;
	updated_at: string;
	version: number;
	financial_statement_id: string;
	processed_at: string | null;
	account_servicer_transaction_id: string | null;
	payments: Payment[];
	ledger_account_bookings: never[];
}

/** Exactly `payment_response`. */
export interface Payment {
	id: string;
	administration_id: string;
	invoice_type: 'ExternalSalesInvoice';
	invoice_id: string;
	financial_account_id: string | null;
	user_id: string;
	payment_transaction_id: string | null;
	transaction_identifier: string | null;
	price: string;
	price_base: string;
	payment_date: string;
	credit_invoice_id: string | null;
	financial_mutation_id: string | null;
	ledger_account_id: string | null;
	linked_payment_id: string | null;
	manual_payment_action: string | null;
	created_at: string;
	updated_at: string;
}

export type InvoiceState = 'new' | 'open' | 'late' | 'paid';

/** An external sales invoice as stored; `invoiceJson()` turns it into `external_sales_invoice_response`. */
export interface Invoice {
	id: string;
	administrationId: string;
	contactId: string;
	reference: string;
	date: string;
	dueDate: string | null;
	currency: string;
	/** The state while something is unpaid (`paid` is derived from the payments). */
	unpaidState: Exclude<InvoiceState, 'paid'>;
	totalCents: bigint;
	totalBaseCents: bigint;
	payments: Payment[];
	entryNumber: number;
	source: string | null;
	sourceUrl: string | null;
	createdAt: string;
	updatedAt: string;
}

interface TokenRecord {
	scopes: MoneybirdScope[];
	expired: boolean;
	refreshToken?: string;
}

export interface MoneybirdState {
	administrations: Administration[];
	contacts: Contact[];
	invoices: Invoice[];
	financialAccounts: FinancialAccount[];
	ledgerAccounts: LedgerAccount[];
	financialMutations: FinancialMutation[];
	/** Access token → scopes (and whether it has been made to expire). */
	tokens: Map<string, TokenRecord>;
	/** Refresh token → the access token it refreshes. */
	refreshTokens: Map<string, string>;
}

export type RetryAfterForm = 'epoch' | 'seconds' | 'http-date' | 'none';

export interface RateLimitOptions {
	/** How `Retry-After` is written on a 429: Moneybird documents UTC epoch seconds. Default 'epoch'. */
	retryAfter?: RetryAfterForm;
	/** Send `RateLimit-Limit/Remaining/Reset` on answers inside the limit too. Default true. */
	headersOnSuccess?: boolean;
}

export interface MoneybirdApiOptions {
	/** Clock for "today" (default period, seeded dates) and timestamps. */
	now?: () => Date;
	/** Seed the default data set (default true). */
	seed?: boolean;
	/** OAuth2 client credentials the token endpoint requires (body or Basic header). */
	oauthClient?: { clientId: string; clientSecret: string };
	/** A refresh replaces the refresh token and revokes the old one (Doorkeeper's rotation). Default true. */
	rotateRefreshTokens?: boolean;
	/** When set, refreshed access tokens carry `expires_in` and stop working after that many seconds. */
	accessTokenLifetimeSeconds?: number;
}

export interface NewInvoice {
	amount: string;
	currency?: string;
	/** Needed when `currency` differs from the administration's; defaults to `amount`. */
	amountBase?: string;
	state?: InvoiceState;
	/** Seed a payment of this amount (partial payment); `state: 'paid'` seeds one for the whole amount. */
	paidAmount?: string;
	administrationId?: string;
	contactId?: string;
	reference?: string;
	date?: string;
	dueDate?: string | null;
	id?: string;
}

// ---------------------------------------------------------------------------------------------------------------

export class MoneybirdApi {
	readonly server: ApiTestServer;
	readonly state: MoneybirdState = {
		administrations: [],
		contacts: [],
		invoices: [],
		financialAccounts: [],
		ledgerAccounts: [],
		financialMutations: [],
		tokens: new Map(),
		refreshTokens: new Map(),
	};

	private readonly now: () => Date;
	private readonly oauthClient: { clientId: string; clientSecret: string };
	private idCounter = 458026357500000000n;
	private entryCounter = 100;
	private tokenCounter = 0;
	private tokenExpiry = new Map<string, number>();
	/** Registered webhooks and their deliveries (moneybirdWebhooks.ts). */
	readonly webhooks = new MoneybirdWebhooks(() => this.now());

	constructor(private readonly options: MoneybirdApiOptions = {}) {
		this.now = options.now ?? (() => new Date());
		this.oauthClient = options.oauthClient ?? DEFAULT_OAUTH_CLIENT;
		this.server = new ApiTestServer((request) => this.handle(request), API_PREFIX);
		this.addToken(DEFAULT_TOKEN, [...MONEYBIRD_SCOPES], { refreshToken: DEFAULT_REFRESH_TOKEN });
		if (options.seed !== false) this.seed();
	}

	/** API base, e.g. `http://127.0.0.1:40123/api/v2`. */
	get url(): string {
		return this.server.url;
	}

	/** OAuth2 token endpoint, outside the API prefix. */
	get tokenUrl(): string {
		return this.server.url.slice(0, -API_PREFIX.length) + '/oauth/token';
	}

	async start(port = 0): Promise<this> {
		await this.server.start(port);
		return this;
	}

	async stop(): Promise<void> {
		this.webhooks.stop();
		await this.server.stop();
	}

	// ----- helpers for tests ---------------------------------------------------------------------------------

	addToken(
		token: string,
		scopes: readonly MoneybirdScope[] = MONEYBIRD_SCOPES,
		options: { refreshToken?: string } = {},
	): void {
		this.state.tokens.set(token, { scopes: [...scopes], expired: false, refreshToken: options.refreshToken });
		if (options.refreshToken) this.state.refreshTokens.set(options.refreshToken, token);
	}

	/** The token answers 401 from now on (its refresh token still works). */
	expireToken(token: string): void {
		const record = this.state.tokens.get(token);
		if (!record) throw new Error(`unknown token ${token}`);
		record.expired = true;
	}

	/** Adds an external sales invoice; returns its id. */
	addInvoice(input: NewInvoice): string {
		const administrationId = input.administrationId ?? MONEYBIRD_SEED.administrations.main;
		const administration = this.administration(administrationId);
		if (!administration) throw new Error(`unknown administration ${administrationId}`);
		const contactId =
			input.contactId ?? this.state.contacts.find((c) => c.administrationId === administrationId)?.id;
		if (!contactId || !this.contact(administrationId, contactId)) throw new Error('addInvoice needs a contact');
		const totalCents = requireCents(input.amount);
		const currency = input.currency ?? administration.currency;
		const totalBaseCents = input.amountBase !== undefined ? requireCents(input.amountBase) : totalCents;
		const today = this.today(administration);
		const id = input.id ?? this.nextId();
		const timestamp = this.timestamp();
		const state = input.state ?? 'open';
		const invoice: Invoice = {
			id,
			administrationId,
			contactId,
			reference: input.reference ?? `INV-${id.slice(-6)}`,
			date: input.date ?? today,
			dueDate: input.dueDate !== undefined ? input.dueDate : addDays(input.date ?? today, 14),
			currency,
			unpaidState: state === 'paid' ? 'open' : state,
			totalCents,
			totalBaseCents,
			payments: [],
			entryNumber: ++this.entryCounter,
			source: 'Webshop',
			sourceUrl: null,
			createdAt: timestamp,
			updatedAt: timestamp,
		};
		this.state.invoices.push(invoice);
		const paidCents = state === 'paid' ? totalCents : input.paidAmount ? requireCents(input.paidAmount) : 0n;
		if (paidCents !== 0n) {
			const baseCents = totalCents === 0n ? 0n : (paidCents * totalBaseCents) / totalCents;
			invoice.payments.push(
				this.newPayment(invoice, {
					price: paidCents,
					priceBase: baseCents,
					paymentDate: invoice.date,
				}),
			);
		}
		return id;
	}

	/** `external_sales_invoice_response` of an invoice (throws when unknown). */
	getInvoice(id: string): Record<string, unknown> {
		const invoice = this.state.invoices.find((i) => i.id === id);
		if (!invoice) throw new Error(`unknown invoice ${id}`);
		return this.invoiceJson(invoice);
	}

	paymentsOf(invoiceId: string): Payment[] {
		return [...(this.state.invoices.find((i) => i.id === invoiceId)?.payments ?? [])];
	}

	/** Payments on all invoices, seeded ones included. */
	paymentCount(): number {
		return this.state.invoices.reduce((n, i) => n + i.payments.length, 0);
	}

	/** Groups (of two or more) of payments with the same invoice, transaction_identifier, date and price. */
	findDuplicatePayments(): Payment[][] {
		const groups = new Map<string, Payment[]>();
		for (const invoice of this.state.invoices) {
			for (const p of invoice.payments) {
				const key = JSON.stringify([p.invoice_id, p.transaction_identifier, p.payment_date, p.price]);
				groups.set(key, [...(groups.get(key) ?? []), p]);
			}
		}
		return [...groups.values()].filter((g) => g.length > 1);
	}

	/** Moneybird-style fixed-window limit: 429 `Retry later` with RateLimit-* and Retry-After headers. */
	limitRate(limit: number, windowMs: number, options: RateLimitOptions = {}): void {
		const retryAfter = options.retryAfter ?? 'epoch';
		const limitHeaders = (remaining: number, resetAtMs: number): Record<string, string> => ({
			'RateLimit-Limit': String(limit),
			'RateLimit-Remaining': String(remaining),
			'RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)),
		});
		this.server.rateLimit = {
			limit,
			windowMs,
			reject: (resetAtMs, now) => {
				const headers: Record<string, string> = {
					...limitHeaders(0, resetAtMs),
					'content-type': 'text/plain; charset=utf-8',
				};
				if (retryAfter === 'epoch') headers['Retry-After'] = String(Math.ceil(resetAtMs / 1000));
				if (retryAfter === 'seconds') {
					headers['Retry-After'] = String(Math.max(1, Math.ceil((resetAtMs - now) / 1000)));
				}
				if (retryAfter === 'http-date') headers['Retry-After'] = new Date(resetAtMs).toUTCString();
				return { status: 429, rawBody: 'Retry later', headers };
			},
			headers: options.headersOnSuccess === false ? undefined : limitHeaders,
		};
	}

	// ----- routing ---------------------------------------------------------------------------------------------

	private handle(request: RecordedRequest): ApiResponse | Promise<ApiResponse> {
		if (request.path === '/oauth/token') return this.oauthToken(request);
		const routeNotFound = error(404, `No route matches [${request.method}] "${request.path}"`);
		if (!request.path.startsWith(API_PREFIX + '/') || !request.path.endsWith('.json')) return routeNotFound;
		const segments = request.path.slice(API_PREFIX.length + 1, -'.json'.length).split('/');
		const route = matchRoute(request.method, segments);
		if (!route) return routeNotFound;

		const auth = this.authenticate(request);
		if ('status' in auth) return auth;
		if (route.scopes.length > 0 && !route.scopes.some((s) => auth.scopes.includes(s))) {
			const names = route.scopes.join(', ');
			return error(403, `No access: this action requires the ${names} scope, which the token does not have`, {
				scope: route.scopes.length === 1 ? route.scopes[0] : route.scopes,
			});
		}
		if (route.name === 'administrations') return ok(this.state.administrations);

		const administration = this.administration(segments[0]);
		if (!administration) return recordNotFound('administration_id');
		switch (route.name) {
			case 'listInvoices':
				return this.listInvoices(request, administration);
			case 'getInvoice': {
				const invoice = this.invoice(administration.id, segments[2]);
				// The documented 404 for this endpoint (Returns404WhenInvoiceDoesNotExist).
				if (!invoice) return error(404, 'Record not found for model name: External invoice');
				return ok(this.invoiceJson(invoice));
			}
			case 'createPayment':
				return this.createPayment(request, administration, segments[2]);
			case 'deletePayment':
				return this.deletePayment(administration, segments[2], segments[4]);
			case 'financialAccounts':
				return ok(
					this.state.financialAccounts.filter((a) => a.administration_id === administration.id && a.active),
				);
			case 'ledgerAccounts':
				return ok(this.state.ledgerAccounts.filter((a) => a.administration_id === administration.id));
			case 'financialMutations':
				return this.listMutations(request, administration);
			case 'webhooks':
				return this.webhooks.handle(request, administration.id, segments.slice(1));
		}
	}

	private authenticate(request: RecordedRequest): TokenRecord | ApiResponse {
		const header = request.headers.authorization;
		const match = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header.trim()) : null;
		const challenge = (description: string) => ({
			'WWW-Authenticate': `Bearer realm="Moneybird", error="invalid_token", error_description="${description}"`,
		});
		if (!match) {
			return error(401, 'token is missing', { request: 'invalid_request' }, challenge('No access token given'));
		}
		const record = this.state.tokens.get(match[1]);
		const expiresAt = this.tokenExpiry.get(match[1]);
		if (record && (record.expired || (expiresAt !== undefined && this.now().getTime() >= expiresAt))) {
			return error(401, 'token is expired', { request: 'invalid_grant' }, challenge('The access token expired'));
		}
		if (!record) {
			return error(401, 'token is invalid', { request: 'invalid_grant' }, challenge('The access token is invalid'));
		}
		return record;
	}

	// ----- external sales invoices ---------------------------------------------------------------------------

	private listInvoices(request: RecordedRequest, administration: Administration): ApiResponse {
		const perPage = parsePositive(request.query.per_page, 50);
		if (perPage === undefined || perPage > 100) return error(400, 'per_page does not have a valid value');
		const page = parsePositive(request.query.page, 1);
		if (page === undefined) return error(400, 'page does not have a valid value');

		const filter = parseFilter(request.query.filter, ['state', 'period', 'contact_id']);
		if (typeof filter === 'string') return error(400, filter, { filter: 'invalid' });
		let invoices = this.state.invoices.filter((i) => i.administrationId === administration.id);

		const period = filter.get('period');
		if (period !== undefined) {
			const range = periodRange(period, this.today(administration));
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
			if (!wanted.includes('all')) invoices = invoices.filter((i) => wanted.includes(this.invoiceState(i)));
		}
		const contactId = filter.get('contact_id');
		if (contactId !== undefined) {
			if (!/^\d+$/.test(contactId) || !this.contact(administration.id, contactId)) {
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
			pageItems.map((i) => this.invoiceJson(i)),
			headers,
		);
	}

	private createPayment(request: RecordedRequest, administration: Administration, invoiceId: string): ApiResponse {
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
		const invoice = this.invoice(administration.id, invoiceId);
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
				this.state.financialAccounts.some((a) => a.id === id && a.administration_id === administration.id),
			financial_mutation_id: (id) =>
				this.state.financialMutations.some((m) => m.id === id && m.administration_id === administration.id),
			ledger_account_id: (id) =>
				this.state.ledgerAccounts.some((a) => a.id === id && a.administration_id === administration.id),
			invoice_id: (id) => this.invoice(administration.id, id) !== undefined,
		};
		for (const [field, id] of Object.entries(ids)) {
			if (id !== undefined && !exists[field](id)) v.add(field, 'is not found', { error: 'invalid', value: id });
		}
		if (ids.invoice_id === invoice.id) {
			v.add('invoice_id', "can't settle an invoice against itself", { error: 'invalid', value: invoice.id });
		}
		if (v.failed || paymentDate === undefined || price === undefined) return v.response();

		const mutation = this.state.financialMutations.find((m) => m.id === ids.financial_mutation_id);
		const created = this.newPayment(invoice, {
			price,
			priceBase: priceBase ?? (invoice.currency === administration.currency ? price : 0n),
			paymentDate,
			transactionIdentifier: transactionIdentifier ?? null,
			manualPaymentAction: action ?? null,
			financialAccountId: ids.financial_account_id ?? mutation?.financial_account_id ?? null,
			financialMutationId: ids.financial_mutation_id ?? null,
			ledgerAccountId: ids.ledger_account_id ?? null,
			// payment_response has no field for the settled document; the settlement shows as credit_invoice_id.
			creditInvoiceId: ids.invoice_id ?? null,
		});
		const stateBefore = this.invoiceState(invoice);
		invoice.payments.push(created);
		invoice.updatedAt = created.created_at;
		this.webhooks.paymentChanged('payment_registered', created, stateBefore, this.invoiceJson(invoice));
		return { status: 201, body: created };
	}

	private deletePayment(administration: Administration, invoiceId: string, paymentId: string): ApiResponse {
		const invoice = this.invoice(administration.id, invoiceId);
		if (!invoice) return recordNotFound('invoice_id');
		const index = invoice.payments.findIndex((p) => p.id === paymentId);
		if (index < 0) return recordNotFound('id');
		const stateBefore = this.invoiceState(invoice);
		const [deleted] = invoice.payments.splice(index, 1);
		invoice.updatedAt = this.timestamp();
		this.webhooks.paymentChanged('payment_destroyed', deleted, stateBefore, this.invoiceJson(invoice));
		return { status: 204 };
	}

	// ----- financial mutations ---------------------------------------------------------------------------------

	private listMutations(request: RecordedRequest, administration: Administration): ApiResponse {
		const filter = parseFilter(request.query.filter, [
			'period',
			'state',
			'mutation_type',
			'financial_account_id',
			'amount_from',
			'amount_to',
		]);
		if (typeof filter === 'string') return error(400, filter, { filter: 'invalid' });
		let mutations = this.state.financialMutations.filter((m) => m.administration_id === administration.id);
		const invalid = (key: string) => error(400, `Filter ${key}:${filter.get(key)} is invalid`, { filter: 'invalid' });

		const period = filter.get('period');
		if (period !== undefined) {
			const range = periodRange(period, this.today(administration));
			if (!range) return invalid('period');
			mutations = mutations.filter((m) => m.date >= range[0] && m.date <= range[1]);
		}
		const states = filter.get('state')?.split('|');
		if (states) {
			if (states.some((s) => !['all', 'unprocessed', 'processed', 'auto_booked'].includes(s))) {
				return invalid('state');
			}
			if (!states.includes('all')) mutations = mutations.filter((m) => states.includes(m.state));
		}
		const types = filter.get('mutation_type')?.split('|');
		if (types) {
			if (types.some((t) => !['all', 'debit', 'credit'].includes(t))) return invalid('mutation_type');
			// Money in is a credit on the bank account, money out a debit.
			if (!types.includes('all')) {
				mutations = mutations.filter((m) => types.includes(m.amount.startsWith('-') ? 'debit' : 'credit'));
			}
		}
		const accountId = filter.get('financial_account_id');
		if (accountId !== undefined) {
			if (!/^\d+$/.test(accountId)) return invalid('financial_account_id');
			mutations = mutations.filter((m) => m.financial_account_id === accountId);
		}
		for (const [key, keep] of [
			['amount_from', (amount: bigint, bound: bigint) => amount >= bound],
			['amount_to', (amount: bigint, bound: bigint) => amount <= bound],
		] as const) {
			const value = filter.get(key);
			if (value === undefined) continue;
			const bound = toCents(value);
			if (bound === undefined) return invalid(key);
			mutations = mutations.filter((m) => keep(abs(requireCents(m.amount)), abs(bound)));
		}
		if (mutations.length > 100) return error(400, 'Too many financial mutations to return, please use sync API');
		return ok(mutations);
	}

	// ----- OAuth2 ----------------------------------------------------------------------------------------------

	private oauthToken(request: RecordedRequest): ApiResponse {
		const oauthError = (status: number, code: string, description: string): ApiResponse => ({
			status,
			body: { error: code, error_description: description },
			headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		});
		if (request.method !== 'POST') return error(404, `No route matches [${request.method}] "/oauth/token"`);
		const contentType = String(request.headers['content-type'] ?? '');
		let params: URLSearchParams;
		if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
			params = new URLSearchParams(request.rawBody);
		} else if (/^application\/json/i.test(contentType) && request.body && typeof request.body === 'object') {
			params = new URLSearchParams(
				Object.entries(request.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
			);
		} else {
			return oauthError(400, 'invalid_request', 'The request is missing a required parameter or is malformed.');
		}

		let clientId = params.get('client_id');
		let clientSecret = params.get('client_secret');
		const basic = /^Basic (\S+)$/i.exec(String(request.headers.authorization ?? ''));
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			clientId = decoded.slice(0, colon);
			clientSecret = decoded.slice(colon + 1);
		}
		if (clientId !== this.oauthClient.clientId || clientSecret !== this.oauthClient.clientSecret) {
			return oauthError(
				401,
				'invalid_client',
				'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
			);
		}
		if (params.get('grant_type') !== 'refresh_token') {
			return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
		}
		const refreshToken = params.get('refresh_token') ?? '';
		const oldAccessToken = this.state.refreshTokens.get(refreshToken);
		const old = oldAccessToken !== undefined ? this.state.tokens.get(oldAccessToken) : undefined;
		if (oldAccessToken === undefined || !old) {
			return oauthError(
				400,
				'invalid_grant',
				'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
			);
		}
		let scopes = old.scopes;
		const requested = params.get('scope');
		if (requested) {
			const wanted = requested.split(/\s+/).filter(Boolean) as MoneybirdScope[];
			if (wanted.some((s) => !old.scopes.includes(s))) {
				return oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
			}
			scopes = wanted;
		}

		// The old access token is revoked; with rotation the old refresh token too.
		this.state.tokens.delete(oldAccessToken);
		const accessToken = `mb-access-${++this.tokenCounter}-${randomBytes(8).toString('hex')}`;
		const rotate = this.options.rotateRefreshTokens !== false;
		const newRefreshToken = rotate ? `mb-refresh-${this.tokenCounter}-${randomBytes(8).toString('hex')}` : refreshToken;
		if (rotate) this.state.refreshTokens.delete(refreshToken);
		this.addToken(accessToken, scopes, { refreshToken: newRefreshToken });
		const lifetime = this.options.accessTokenLifetimeSeconds;
		if (lifetime !== undefined) this.tokenExpiry.set(accessToken, this.now().getTime() + lifetime * 1000);
		return {
			status: 200,
			body: {
				access_token: accessToken,
				token_type: 'bearer',
				...(lifetime !== undefined ? { expires_in: lifetime } : {}),
				refresh_token: newRefreshToken,
				scope: scopes.join(' '),
				created_at: Math.floor(this.now().getTime() / 1000),
			},
			headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		};
	}

	// ----- state ---------------------------------------------------------------------------------------------

	private administration(id: string): Administration | undefined {
		return this.state.administrations.find((a) => a.id === id);
	}

	private contact(administrationId: string, id: string): Contact | undefined {
		return this.state.contacts.find((c) => c.id === id && c.administrationId === administrationId);
	}

	private invoice(administrationId: string, id: string): Invoice | undefined {
		return this.state.invoices.find((i) => i.id === id && i.administrationId === administrationId);
	}

	private invoiceState(invoice: Invoice): InvoiceState {
		return invoice.payments.length > 0 && this.unpaidCents(invoice) <= 0n ? 'paid' : invoice.unpaidState;
	}

	private unpaidCents(invoice: Invoice): bigint {
		return invoice.payments.reduce((sum, p) => sum - requireCents(p.price), invoice.totalCents);
	}

	private invoiceJson(invoice: Invoice): Record<string, unknown> {
		const contact = this.contact(invoice.administrationId, invoice.contactId)!;
		const paidCents = invoice.totalCents - this.unpaidCents(invoice);
		const paidBaseCents = invoice.payments.reduce((sum, p) => sum + requireCents(p.price_base), 0n);
		// Prices are incl. 21% VAT: tax = total × 21/121, rounded half up.
		const tax = (invoice.totalCents * 42n + 121n) / 242n;
		const taxBase = (invoice.totalBaseCents * 42n + 121n) / 242n;
		const state = this.invoiceState(invoice);
		const lastPayment = invoice.payments.map((p) => p.payment_date).sort().pop() ?? null;
		const revenueLedger = this.state.ledgerAccounts.find(
			(l) => l.administration_id === invoice.administrationId && l.account_type === 'revenue',
		);
		return {
			id: invoice.id,
			administration_id: invoice.administrationId,
			contact_id: contact.id,
			contact: contactJson(contact),
			date: invoice.date,
			state,
			due_date: invoice.dueDate,
			reference: invoice.reference,
			entry_number: invoice.entryNumber,
			origin: 'api',
			source: invoice.source,
			source_url: invoice.sourceUrl,
			currency: invoice.currency,
			paid_at: state === 'paid' ? lastPayment : null,
			created_at: invoice.createdAt,
			updated_at: invoice.updatedAt,
			version: Math.floor(Date.parse(invoice.updatedAt) / 1000),
			details: [
				{
					id: (BigInt(invoice.id) + 900000000n).toString(),
					administration_id: invoice.administrationId,
					tax_rate_id: TAX_RATE_ID,
					ledger_account_id: revenueLedger?.id ?? MONEYBIRD_SEED.ledgerAccounts.revenue,
					project_id: null,
					product_id: null,
					amount: '1 x',
					amount_decimal: '1.0',
					description: invoice.reference,
					price: formatCents(invoice.totalCents),
					period: null,
					row_order: 0,
					total_price_excl_tax_with_discount: formatCents(invoice.totalCents - tax),
					total_price_excl_tax_with_discount_base: formatCents(invoice.totalBaseCents - taxBase),
					tax_report_reference: [],
					mandatory_tax_text: null,
					created_at: invoice.createdAt,
					updated_at: invoice.createdAt,
				},
			],
			payments: invoice.payments,
			total_paid: formatCents(paidCents),
			total_unpaid: formatCents(invoice.totalCents - paidCents),
			total_unpaid_base: formatCents(invoice.totalBaseCents - paidBaseCents),
			prices_are_incl_tax: true,
			total_price_excl_tax: formatCents(invoice.totalCents - tax),
			total_price_excl_tax_base: formatCents(invoice.totalBaseCents - taxBase),
			total_price_incl_tax: formatCents(invoice.totalCents),
			total_price_incl_tax_base: formatCents(invoice.totalBaseCents),
			marked_dubious_on: null,
			marked_uncollectible_on: null,
			notes: [],
			attachments: [],
			events: [],
			tax_totals: [
				{
					tax_rate_id: TAX_RATE_ID,
					taxable_amount: formatCents(invoice.totalCents - tax),
					taxable_amount_base: formatCents(invoice.totalBaseCents - taxBase),
					tax_amount: formatCents(tax),
					tax_amount_base: formatCents(taxBase),
				},
			],
		};
	}

	private newPayment(
		invoice: Invoice,
		p: {
			price: bigint;
			priceBase: bigint;
			paymentDate: string;
			transactionIdentifier?: string | null;
			manualPaymentAction?: string | null;
			financialAccountId?: string | null;
			financialMutationId?: string | null;
			ledgerAccountId?: string | null;
			creditInvoiceId?: string | null;
		},
	): Payment {
		const timestamp = this.timestamp();
		return {
			id: this.nextId(),
			administration_id: invoice.administrationId,
			invoice_type: 'ExternalSalesInvoice',
			invoice_id: invoice.id,
			financial_account_id: p.financialAccountId ?? null,
			user_id: MONEYBIRD_SEED.userId,
			payment_transaction_id: null,
			transaction_identifier: p.transactionIdentifier ?? null,
			price: formatCents(p.price),
			price_base: formatCents(p.priceBase),
			payment_date: p.paymentDate,
			credit_invoice_id: p.creditInvoiceId ?? null,
			financial_mutation_id: p.financialMutationId ?? null,
			ledger_account_id: p.ledgerAccountId ?? null,
			linked_payment_id: null,
			manual_payment_action: p.manualPaymentAction ?? null,
			created_at: timestamp,
			updated_at: timestamp,
		};
	}

	private nextId(): string {
		this.idCounter += 1n;
		return this.idCounter.toString();
	}

	private timestamp(): string {
		return this.now().toISOString();
	}

	/** Today in the administration's time zone, `YYYY-MM-DD`. */
	private today(administration: Pick<Administration, 'time_zone'>): string {
		return new Intl.DateTimeFormat('en-CA', {
			timeZone: administration.time_zone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(this.now());
	}

	private seed(): void {
		const S = MONEYBIRD_SEED;
		const t = this.timestamp();
		const year = Number(this.today({ time_zone: 'Europe/Amsterdam' }).slice(0, 4));
		const administration = (
			id: string,
			name: string,
			extra: Partial<Administration>,
		): Administration => ({
			id,
			name,
			language: 'nl',
			currency: 'EUR',
			country: 'NL',
			time_zone: 'Europe/Amsterdam',
			access: 'user',
			suspended: false,
			period_locked_until: null,
			period_start_date: `${year - 3}-01-01`,
			...extra,
		});
		const main = administration(S.administrations.main, 'Parkietje B.V.', {});
		const second = administration(S.administrations.second, 'Kolibrie Consultancy BV', {
			language: 'nl-be',
			country: 'BE',
			time_zone: 'Europe/Brussels',
			access: 'accountant_company',
		});
		this.state.administrations.push(main, second);

		const contact = (id: string, administrationId: string, c: Partial<Contact>): Contact => ({
			id,
			administrationId,
			company_name: null,
			firstname: null,
			lastname: null,
			customer_id: `customer-${id.slice(-1)}`,
			email: null,
			country: 'NL',
			city: null,
			...c,
		});
		this.state.contacts.push(
			contact(S.contacts.webshop, main.id, {
				company_name: 'Webshop Klant B.V.',
				email: 'facturen@webshopklant.example',
				city: 'Utrecht',
			}),
			contact(S.contacts.jansen, main.id, { firstname: 'Jan', lastname: 'Jansen', email: 'jan@jansen.example' }),
			contact(S.contacts.acme, main.id, { company_name: 'Acme Inc.', country: 'US', city: 'Springfield' }),
			contact(S.contacts.brussels, second.id, { company_name: 'Brasserie Kolibrie', country: 'BE', city: 'Brussel' }),
		);

		const account = (
			id: string,
			administrationId: string,
			type: string,
			name: string,
			identifier: string,
		): FinancialAccount => ({
			id,
			administration_id: administrationId,
			type,
			name,
			identifier,
			currency: 'EUR',
			provider: null,
			moneybird_account: false,
			active: true,
			created_at: t,
			updated_at: t,
		});
		this.state.financialAccounts.push(
			account(S.financialAccounts.bank, main.id, 'BankAccount', 'Zakelijke rekening', 'NL91ABNA0417164300'),
			account(S.financialAccounts.creditCard, main.id, 'CreditCardAccount', 'Creditcard 0001', '0001'),
			account(S.financialAccounts.secondBank, second.id, 'BankAccount', 'Zichtrekening', 'BE68539007547034'),
		);

		const ledger = (
			id: string,
			administrationId: string,
			name: string,
			accountType: string,
			accountId: string,
		): LedgerAccount => ({
			id,
			administration_id: administrationId,
			name,
			account_type: accountType,
			account_id: accountId,
			parent_id: null,
			active: true,
			created_at: t,
			updated_at: t,
			allowed_document_types:
				accountType === 'revenue'
					? ['sales_invoice', 'financial_mutation', 'general_journal_document']
					: ['financial_mutation', 'general_journal_document'],
			financial_account_id: null,
		});
		this.state.ledgerAccounts.push(
			ledger(S.ledgerAccounts.debtors, main.id, 'Debiteuren', 'current_assets', '13011'),
			ledger(S.ledgerAccounts.suspense, main.id, 'Kruisposten', 'current_assets', '10510.02'),
			ledger(S.ledgerAccounts.revenue, main.id, 'Omzet', 'revenue', '80001'),
			ledger(S.ledgerAccounts.secondDebtors, second.id, 'Debiteuren', 'current_assets', '13011'),
			ledger(S.ledgerAccounts.secondRevenue, second.id, 'Omzet', 'revenue', '80001'),
		);

		const today = this.today(main);
		const mutation = (
			id: string,
			administrationId: string,
			accountId: string,
			amount: string,
			message: string,
			contraName: string,
		): FinancialMutation => ({
			id,
			administration_id: administrationId,
			amount,
			code: null,
			date: today,
			message,
			contra_account_name: contraName,
			contra_account_number: 'NL02ABNA0123456789',
			state: 'unprocessed',
			settlement_state: 'settled',
			amount_open: amount,
			sepa_fields: null,
			batch_reference: null,
			financial_account_id: accountId,
			currency: 'EUR',
			original_amount: null,
			created_at: t,
			updated_at: t,
			version: Math.floor(Date.parse(t) / 1000),
			financial_statement_id: (BigInt(id) + 500000n).toString(),
			processed_at: null,
			account_servicer_transaction_id: null,
			payments: [],
			ledger_account_bookings: [],
		});
		this.state.financialMutations.push(
			mutation(S.financialMutations.ws1001, main.id, S.financialAccounts.bank, '121.0', 'Betaling WS-1001', 'Webshop Klant B.V.'),
			mutation(S.financialMutations.ws1002, main.id, S.financialAccounts.bank, '60.5', 'WS-1002 J. Jansen', 'J. Jansen'),
			mutation(S.financialMutations.second, second.id, S.financialAccounts.secondBank, '50.0', 'KB-0001', 'Brasserie Kolibrie'),
		);

		const I = S.invoices;
		const C = S.contacts;
		const lateDate = maxDate(`${year}-01-01`, addDays(today, -45));
		this.addInvoice({ id: I.open121, reference: 'WS-1001', contactId: C.webshop, amount: '121.00' });
		this.addInvoice({ id: I.open60, reference: 'WS-1002', contactId: C.jansen, amount: '60.50' });
		this.addInvoice({
			id: I.late,
			reference: 'WS-1003',
			contactId: C.webshop,
			amount: '1210.00',
			state: 'late',
			date: lateDate,
			dueDate: addDays(today, -15),
		});
		this.addInvoice({ id: I.paid, reference: 'WS-1004', contactId: C.jansen, amount: '24.20', state: 'paid' });
		this.addInvoice({
			id: I.partial,
			reference: 'WS-1005',
			contactId: C.webshop,
			amount: '100.00',
			paidAmount: '40.00',
		});
		this.addInvoice({
			id: I.usd,
			reference: 'US-2001',
			contactId: C.acme,
			amount: '250.00',
			currency: 'USD',
			amountBase: '229.50',
		});
		this.addInvoice({
			id: I.lastYear,
			reference: 'WS-0999',
			contactId: C.jansen,
			amount: '99.99',
			date: `${year - 1}-12-15`,
			dueDate: `${year - 1}-12-29`,
		});
		this.addInvoice({
			id: I.second,
			administrationId: second.id,
			reference: 'KB-0001',
			contactId: C.brussels,
			amount: '50.00',
		});
		// Fixed ids for the two seeded payments.
		this.state.invoices.find((i) => i.id === I.paid)!.payments[0].id = S.payments.paid;
		this.state.invoices.find((i) => i.id === I.partial)!.payments[0].id = S.payments.partial;
	}
}

export function createMoneybirdApi(options?: MoneybirdApiOptions): MoneybirdApi {
	return new MoneybirdApi(options);
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

type RouteName =
	| 'administrations'
	| 'listInvoices'
	| 'getInvoice'
	| 'createPayment'
	| 'deletePayment'
	| 'financialAccounts'
	| 'ledgerAccounts'
	| 'financialMutations'
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
		'GET financial_mutations': { name: 'financialMutations', scopes: ['bank'] },
		...WEBHOOK_ROUTES,
	};
	return table[`${method} ${path}`];
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

function ok(body: unknown, headers?: Record<string, string>): ApiResponse {
	return { status: 200, body, headers };
}

/** `symbolic_error`: `{ error, symbolic? }`. */
function error(
	status: number,
	message: string,
	symbolic?: Record<string, unknown>,
	headers?: Record<string, string>,
): ApiResponse {
	return { status, body: symbolic ? { error: message, symbolic } : { error: message }, headers };
}

function recordNotFound(key: string): ApiResponse {
	return error(404, 'record not found', { [key]: 'not_found' });
}

function contactJson(c: Contact): Record<string, unknown> {
	return {
		id: c.id,
		administration_id: c.administrationId,
		company_name: c.company_name,
		firstname: c.firstname,
		lastname: c.lastname,
		address1: null,
		address2: null,
		zipcode: null,
		city: c.city,
		country: c.country,
		phone: null,
		delivery_method: 'Email',
		customer_id: c.customer_id,
		tax_number: null,
		chamber_of_commerce: null,
		bank_account: null,
		is_trusted: false,
		max_transfer_amount: null,
		attention: null,
		email: c.email,
		email_ubl: false,
		send_invoices_to_attention: null,
		send_invoices_to_email: c.email,
		send_estimates_to_attention: null,
		send_estimates_to_email: c.email,
		direct_debit: false,
		sepa_active: false,
		sepa_iban: null,
		sepa_iban_account_name: null,
		sepa_bic: null,
		sepa_mandate_id: null,
		sepa_mandate_date: null,
		sepa_sequence_type: 'RCUR',
		credit_card_number: null,
		credit_card_reference: null,
		credit_card_type: null,
		tax_number_validated_at: null,
		tax_number_valid: null,
		invoice_workflow_id: null,
		estimate_workflow_id: null,
		si_identifier: null,
		si_identifier_type: null,
		moneybird_payments_mandate: false,
		created_at: null,
		updated_at: null,
		version: 1,
		sales_invoices_url: `https://moneybird.com/${c.administrationId}/sales_invoices/contact/${c.id}/all`,
		notes: [],
		custom_fields: [],
		contact_people: [],
		archived: false,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Payment validation (422 `{ error: { field: [messages] }, details: { field: [{ error, value? }] } }`)

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

/** A lossless value as JSON for an error detail (numbers keep their digits, as text). */
function plain(value: JsonValue): unknown {
	if (value instanceof JsonNumber) return value.raw;
	if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]));
	if (Array.isArray(value)) return value.map(plain);
	return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Lossless JSON: numbers keep their source text, objects are Maps (duplicate keys are an error).

export class JsonNumber {
	constructor(readonly raw: string) {}
}
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject extends Map<string, JsonValue> {}

export function parseJsonLossless(text: string): JsonValue {
	let i = 0;
	const fail = (message: string): never => {
		throw new SyntaxError(`${message} at position ${i}`);
	};
	const skipSpace = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const expect = (char: string) => {
		skipSpace();
		if (text[i] !== char) fail(`expected '${char}'`);
		i++;
	};
	const readString = (): string => {
		const start = i;
		i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		if (i >= text.length) fail('unterminated string');
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const readValue = (): JsonValue => {
		skipSpace();
		const char = text[i];
		if (char === '{') {
			i++;
			const object: JsonObject = new Map();
			skipSpace();
			if (text[i] === '}') return i++, object;
			for (;;) {
				skipSpace();
				if (text[i] !== '"') fail('expected a key');
				const key = readString();
				if (object.has(key)) fail(`duplicate key "${key}"`);
				expect(':');
				object.set(key, readValue());
				skipSpace();
				if (text[i] === ',') i++;
				else return expect('}'), object;
			}
		}
		if (char === '[') {
			i++;
			const array: JsonValue[] = [];
			skipSpace();
			if (text[i] === ']') return i++, array;
			for (;;) {
				array.push(readValue());
				skipSpace();
				if (text[i] === ',') i++;
				else return expect(']'), array;
			}
		}
		if (char === '"') return readString();
		for (const [word, value] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (text.startsWith(word, i)) return (i += word.length), value;
		}
		const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
		number.lastIndex = i;
		const match = number.exec(text);
		if (!match) return fail('unexpected token');
		i += match[0].length;
		return new JsonNumber(match[0]);
	};
	const value = readValue();
	skipSpace();
	if (i !== text.length) fail('unexpected trailing text');
	return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Money as integer cents, dates as `YYYY-MM-DD` strings.

const MONEY_PATTERN = /^-?[0-9]+[,.]?[0-9]*$/;

/** Decimal text (`121`, `121.0`, `10,95`, `1.5e2`) → cents, rounded half away from zero; undefined if not a number. */
export function toCents(text: string): bigint | undefined {
	const m = /^(-?)(\d+)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!m) return undefined;
	const [, sign, whole, fraction = '', exponent = '0'] = m;
	const digits = BigInt(whole + fraction);
	const shift = Number(exponent) - fraction.length + 2;
	let cents: bigint;
	if (digits === 0n) cents = 0n;
	else if (shift >= 0) cents = digits * 10n ** BigInt(Math.min(shift, 40));
	else if (-shift > whole.length + fraction.length + 1) cents = 0n;
	else {
		const divisor = 10n ** BigInt(-shift);
		cents = (digits * 2n + divisor) / (2n * divisor);
	}
	return sign ? -cents : cents;
}

/** Cents → Moneybird's decimal text: `121.0`, `10.5`, `10.95`, `-3.0`. */
export function formatCents(cents: bigint): string {
	const sign = cents < 0n ? '-' : '';
	const a = abs(cents);
	const fraction = (a % 100n).toString().padStart(2, '0').replace(/0$/, '');
	return `${sign}${a / 100n}.${fraction}`;
}

function requireCents(text: string): bigint {
	const cents = toCents(text);
	if (cents === undefined) throw new Error(`not an amount: ${text}`);
	return cents;
}

function abs(n: bigint): bigint {
	return n < 0n ? -n : n;
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

function parseDate(value: string): string | undefined {
	const m =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
			value,
		);
	if (!m) return undefined;
	const date = `${m[1]}-${m[2]}-${m[3]}`;
	return isoDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === date ? date : undefined;
}

function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function ymd(date: string): [number, number, number] {
	return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function addDays(date: string, days: number): string {
	const [y, m, d] = ymd(date);
	return isoDate(Date.UTC(y, m - 1, d + days));
}

function maxDate(a: string, b: string): string {
	return a > b ? a : b;
}

/** A named period (relative to `today`) or `YYYYMM..YYYYMM` / `YYYYMMDD..YYYYMMDD` → inclusive date range. */
function periodRange(period: string, today: string): [string, string] | undefined {
	const [y, m, d] = ymd(today);
	const named = /^(this|prev|next)_(week|month|quarter|year)$/.exec(period);
	if (named) {
		const offset = named[1] === 'prev' ? -1 : named[1] === 'next' ? 1 : 0;
		switch (named[2]) {
			case 'week': {
				const monday = d - ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 7 * offset;
				return [isoDate(Date.UTC(y, m - 1, monday)), isoDate(Date.UTC(y, m - 1, monday + 6))];
			}
			case 'month':
				return [isoDate(Date.UTC(y, m - 1 + offset, 1)), isoDate(Date.UTC(y, m + offset, 0))];
			case 'quarter': {
				const first = Math.floor((m - 1) / 3) * 3 + 3 * offset;
				return [isoDate(Date.UTC(y, first, 1)), isoDate(Date.UTC(y, first + 3, 0))];
			}
			default:
				return [`${y + offset}-01-01`, `${y + offset}-12-31`];
		}
	}
	const months = /^(\d{4})(\d{2})\.\.(\d{4})(\d{2})$/.exec(period);
	if (months) {
		const [, y1, m1, y2, m2] = months.map(Number);
		if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12) return undefined;
		return [isoDate(Date.UTC(y1, m1 - 1, 1)), isoDate(Date.UTC(y2, m2, 0))];
	}
	const days = /^(\d{4})(\d{2})(\d{2})\.\.(\d{4})(\d{2})(\d{2})$/.exec(period);
	if (days) {
		const from = parseDate(`${days[1]}-${days[2]}-${days[3]}`);
		const to = parseDate(`${days[4]}-${days[5]}-${days[6]}`);
		return from && to ? [from, to] : undefined;
	}
	return undefined;
}
