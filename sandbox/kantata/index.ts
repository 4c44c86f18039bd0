/* eslint-disable @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped (README, Releasing) */
import { ApiTestServer, type ApiResponse, type RateLimit, type RecordedRequest } from '../server';

/**
 * An in-memory Kantata OX API (v1) for node tests: external payments plus the pickers (workspaces, invoices) and
 * `users/me`. It follows /work/shared/reference/kantata-external-payments.md and checks what it receives: auth,
 * query parameters, content type and the create body. Mount point: `new ApiTestServer(handler, '/api/v1')`.
 */

export const API_PREFIX = '/api/v1';
export const DEFAULT_TOKEN = 'kantata-test-token';
/** The user every default token belongs to; becomes `user_id` of payments created through the API. */
export const DEFAULT_USER_ID = '201';
/** `created_at` of seeded payment 1; payment n is created n - 1 seconds later. */
export const SEED_START = '2024-01-01T00:00:00Z';
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

export interface ExternalPayment {
	id: string;
	amount_in_cents: number;
	message: string | null;
	invoice_id: string | null;
	user_id: string | null;
	workspace_id: string | null;
	created_at: string;
	updated_at: string;
}

export interface KantataUser {
	id: string;
	full_name: string;
	email_address: string;
}

export interface KantataWorkspace {
	id: string;
	title: string;
	currency: string;
}

export type InvoiceStatus = 'draft' | 'pending' | 'paid';

export interface KantataInvoice {
	id: string;
	invoice_number: string;
	display_id: string;
	title: string;
	status: InvoiceStatus;
	draft: boolean;
	amount_in_cents: number;
	balance_in_cents: number;
	currency: string;
	workspace_ids: string[];
	created_at: string;
	updated_at: string;
}

export interface KantataError {
	type: 'oauth' | 'system' | 'validation';
	message: string;
	field?: string;
}

/** The Kantata error body: `{ errors: [ { type, message, field? } ] }`. */
export function kantataErrorBody(...errors: KantataError[]): { errors: KantataError[] } {
	return { errors };
}

/** A complete error answer with one error in it. */
export function kantataError(
	status: number,
	type: KantataError['type'],
	message: string,
	field?: string,
): ApiResponse {
	return { status, body: kantataErrorBody(field === undefined ? { type, message } : { type, message, field }) };
}

/** A rate limit answering 429 with an error body and, as documented, no Retry-After or RateLimit headers. */
export function kantataRateLimit(limit: number, windowMs = 1000): RateLimit {
	return {
		limit,
		windowMs,
		reject: () => kantataError(429, 'system', 'Rate limit exceeded. Please retry after a short delay.'),
	};
}

/** ISO 8601 at whole seconds in UTC, e.g. `2024-01-01T00:00:00Z`. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

const DEFAULT_USERS: KantataUser[] = [
	{ id: '201', full_name: 'Ada Lovelace', email_address: 'ada@example.com' },
	{ id: '202', full_name: 'Grace Hopper', email_address: 'grace@example.com' },
	{ id: '203', full_name: 'Alan Turing', email_address: 'alan@example.com' },
];

const DEFAULT_WORKSPACES: KantataWorkspace[] = [
	{ id: '101', title: 'Website relaunch', currency: 'USD' },
	{ id: '102', title: 'Mobile app', currency: 'USD' },
	{ id: '103', title: 'Website maintenance', currency: 'EUR' },
];

const DEFAULT_INVOICES: Array<[id: string, workspaceIds: string[], status: InvoiceStatus, amount: number]> = [
	['1001', ['101'], 'pending', 125000],
	['1002', ['101'], 'draft', 50000],
	['1003', ['101'], 'paid', 75000],
	['1004', ['102'], 'pending', 240000],
	['1005', ['102'], 'draft', 30000],
	['1006', ['102'], 'paid', 99000],
	['1007', ['103'], 'pending', 18050],
	['1008', ['103'], 'draft', 4200],
	['1009', ['103'], 'paid', 61000],
	['1010', ['101', '102'], 'pending', 310000],
];

const PAYMENT_FIELDS = ['workspace_id', 'invoice_id', 'amount_in_cents', 'message'];
const INCLUDES: Record<string, 'invoices' | 'users' | 'workspaces'> = {
	invoice: 'invoices',
	user: 'users',
	workspace: 'workspaces',
};
const ORDER_FIELDS = ['created_at', 'id', 'updated_at'] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

/** Thrown inside the handler to answer with an error. */
class HttpError extends Error {
	constructor(readonly response: ApiResponse) {
		super('http error');
	}
}

interface Row {
	payment: ExternalPayment;
	num: number;
	createdMs: number;
	updatedMs: number;
}

interface Meta {
	count: number;
	page_count: number;
	page_number: number;
	page_size: number;
}

export interface SeedOptions {
	/** `created_at` of the first seeded payment (default: SEED_START + (first id - 1) seconds). */
	startAt?: string;
	/** Workspaces to cycle through (default 101, 102, 103). */
	workspaceIds?: string[];
	/** Users to cycle through (default 201, 202, 203). */
	userIds?: string[];
}

export class KantataState {
	/** Clock for created_at/updated_at of payments created through the API. */
	now: () => Date = () => new Date();

	private tokens = new Map<string, string>();
	private users = new Map<string, KantataUser>();
	private workspaces = new Map<string, KantataWorkspace>();
	private invoices = new Map<string, KantataInvoice>();
	private rows = new Map<string, Row>();
	private nextId = 1;
	/** Invoice id -> the payment created through the API that settled it (deleting that payment reopens it). */
	private settledBy = new Map<string, string>();
	/** Rows sorted ascending by one field (ties by id), rebuilt after a change to the payments. */
	private sorted = new Map<OrderField, Row[]>();

	constructor(private readonly initialTokens: string[] = [DEFAULT_TOKEN]) {
		this.reset();
	}

	/** Back to the defaults: initial tokens, users, workspaces, invoices; no payments. */
	reset(): void {
		this.tokens = new Map(this.initialTokens.map((token) => [token, DEFAULT_USER_ID]));
		this.users = new Map(DEFAULT_USERS.map((u) => [u.id, { ...u }]));
		this.workspaces = new Map(DEFAULT_WORKSPACES.map((w) => [w.id, { ...w }]));
		this.invoices = new Map();
		for (const [id, workspace_ids, status, amount_in_cents] of DEFAULT_INVOICES) {
			this.addInvoice({ id, workspace_ids, status, amount_in_cents });
		}
		this.clearPayments();
	}

	addToken(token: string, userId = DEFAULT_USER_ID): void {
		this.tokens.set(token, userId);
	}

	removeToken(token: string): void {
		this.tokens.delete(token);
	}

	addUser(user: KantataUser): KantataUser {
		this.users.set(user.id, { ...user });
		return user;
	}

	addWorkspace(workspace: Pick<KantataWorkspace, 'id' | 'title'> & Partial<KantataWorkspace>): KantataWorkspace {
		const record: KantataWorkspace = { currency: 'USD', ...workspace };
		this.workspaces.set(record.id, record);
		return { ...record };
	}

	/** Adds an invoice; `draft` follows `status`, `balance_in_cents` is 0 when paid and the amount otherwise. */
	addInvoice(
		invoice: Pick<KantataInvoice, 'id' | 'workspace_ids' | 'status' | 'amount_in_cents'> & Partial<KantataInvoice>,
	): KantataInvoice {
		const stamp = SEED_START;
		const record: KantataInvoice = {
			invoice_number: `INV-${invoice.id}`,
			display_id: invoice.id,
			title: `Invoice ${invoice.id}`,
			draft: invoice.status === 'draft',
			balance_in_cents: invoice.status === 'paid' ? 0 : invoice.amount_in_cents,
			currency: this.workspaces.get(invoice.workspace_ids[0])?.currency ?? 'USD',
			created_at: stamp,
			updated_at: stamp,
			...invoice,
			workspace_ids: [...invoice.workspace_ids],
		};
		this.invoices.set(record.id, record);
		return { ...record };
	}

	getInvoice(id: string): KantataInvoice | undefined {
		const invoice = this.invoices.get(id);
		return invoice && { ...invoice, workspace_ids: [...invoice.workspace_ids] };
	}

	/** Stores one payment as given (id: next free one unless set; timestamps: now unless set). */
	addPayment(payment: Partial<ExternalPayment> & { workspace_id: string | null }): ExternalPayment {
		const stamp = isoSeconds(this.now().getTime());
		const record: ExternalPayment = {
			id: payment.id ?? String(this.nextId),
			amount_in_cents: payment.amount_in_cents ?? 1000,
			message: payment.message ?? null,
			invoice_id: payment.invoice_id ?? null,
			user_id: payment.user_id ?? DEFAULT_USER_ID,
			workspace_id: payment.workspace_id,
			created_at: payment.created_at ?? stamp,
			updated_at: payment.updated_at ?? payment.created_at ?? stamp,
		};
		if (!/^[1-9]\d*$/.test(record.id)) throw new Error(`payment id must be a positive integer string: ${record.id}`);
		if (Number.isNaN(Date.parse(record.created_at)) || Number.isNaN(Date.parse(record.updated_at))) {
			throw new Error(`payment timestamps must be ISO 8601: ${record.created_at}, ${record.updated_at}`);
		}
		this.store(record);
		return { ...record };
	}

	/**
	 * Adds `count` payments with ids continuing from the last one. Payment n: workspace cycles (n-1) % 3, user
	 * cycles floor((n-1)/3) % 3, every 4th payment is on the workspace's paid invoice (and has its amount), others
	 * 1000 + (n % 97) * 125 cents; message `Payment n` except every 5th (null); created_at one second after the
	 * previous; updated_at = created_at, except every 10th payment which was updated a day later.
	 */
	seedPayments(count: number, options: SeedOptions = {}): void {
		const workspaceIds = options.workspaceIds ?? DEFAULT_WORKSPACES.map((w) => w.id);
		const userIds = options.userIds ?? DEFAULT_USERS.map((u) => u.id);
		const paidInvoice = new Map<string, KantataInvoice>();
		for (const invoice of this.invoices.values()) {
			const [workspaceId] = invoice.workspace_ids;
			if (invoice.status === 'paid' && invoice.workspace_ids.length === 1 && !paidInvoice.has(workspaceId)) {
				paidInvoice.set(workspaceId, invoice);
			}
		}
		const firstId = this.nextId;
		const startMs = options.startAt ? Date.parse(options.startAt) : Date.parse(SEED_START) + (firstId - 1) * 1000;
		if (Number.isNaN(startMs)) throw new Error(`bad startAt: ${options.startAt}`);
		for (let i = 0; i < count; i++) {
			const n = firstId + i;
			const workspaceId = workspaceIds[(n - 1) % workspaceIds.length];
			const invoice = n % 4 === 0 ? paidInvoice.get(workspaceId) : undefined;
			const createdMs = startMs + i * 1000;
			const updatedMs = n % 10 === 0 ? createdMs + 86_400_000 : createdMs;
			const payment: ExternalPayment = {
				id: String(n),
				amount_in_cents: invoice ? invoice.amount_in_cents : 1000 + (n % 97) * 125,
				message: n % 5 === 0 ? null : `Payment ${n}`,
				invoice_id: invoice ? invoice.id : null,
				user_id: userIds[Math.floor((n - 1) / 3) % userIds.length],
				workspace_id: workspaceId,
				created_at: isoSeconds(createdMs),
				updated_at: isoSeconds(updatedMs),
			};
			this.rows.set(payment.id, { payment, num: n, createdMs, updatedMs });
		}
		this.nextId = firstId + count;
		this.sorted.clear();
	}

	getPayment(id: string): ExternalPayment | undefined {
		const row = this.rows.get(id);
		return row && { ...row.payment };
	}

	countPayments(): number {
		return this.rows.size;
	}

	/** Removes all payments; ids start again at 1. */
	clearPayments(): void {
		this.rows.clear();
		this.sorted.clear();
		this.settledBy.clear();
		this.nextId = 1;
	}

	/** The request handler for ApiTestServer. */
	handle(request: RecordedRequest): ApiResponse {
		try {
			const userId = this.authenticate(request);
			return this.route(request, userId);
		} catch (error) {
			if (error instanceof HttpError) return error.response;
			throw error;
		}
	}

	private store(payment: ExternalPayment): void {
		const num = Number(payment.id);
		this.rows.set(payment.id, {
			payment,
			num,
			createdMs: Date.parse(payment.created_at),
			updatedMs: Date.parse(payment.updated_at),
		});
		if (num >= this.nextId) this.nextId = num + 1;
		this.sorted.clear();
	}

	private authenticate(request: RecordedRequest): string {
		const match = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
		const userId = match ? this.tokens.get(match[1]) : undefined;
		if (userId === undefined) throw new HttpError(kantataError(401, 'oauth', 'Invalid OAuth 2 Request'));
		return userId;
	}

	private route(request: RecordedRequest, userId: string): ApiResponse {
		const { method } = request;
		const path = request.path.startsWith(API_PREFIX + '/')
			? request.path.slice(API_PREFIX.length).replace(/\.json$/, '')
			: '';
		const [, collection, id, extra] = path.split('/');
		const one = id !== undefined && extra === undefined && id !== '';
		const all = id === undefined;

		if (collection === 'external_payments') {
			if (all && method === 'GET') return this.listPayments(request.query);
			if (all && method === 'POST') return this.createPayment(request, userId);
			if (one && method === 'GET') return this.showPayment(id, request.query);
			if (one && method === 'DELETE') return this.deletePayment(id);
		}
		if (method === 'GET') {
			if (collection === 'users' && id === 'me' && extra === undefined) {
				const user = this.users.get(userId) ?? { id: userId, full_name: `User ${userId}`, email_address: '' };
				return ok(envelope('users', [user], singleMeta()));
			}
			if (collection === 'workspaces' && all) return this.listWorkspaces(request.query);
			if (collection === 'invoices' && all) return this.listInvoices(request.query);
			if (collection === 'workspaces' && one) {
				return ok(envelope('workspaces', [this.find(this.workspaces, id, 'Workspace')], singleMeta()));
			}
			if (collection === 'invoices' && one) {
				return ok(envelope('invoices', [this.find(this.invoices, id, 'Invoice')], singleMeta()));
			}
		}
		return kantataError(404, 'system', `No route matches [${method}] "${request.path}"`);
	}

	private find<T>(records: Map<string, T>, id: string, model: string): T {
		const record = records.get(id);
		if (!record) throw new HttpError(kantataError(404, 'system', `Couldn't find ${model} with 'id'=${id}`));
		return record;
	}

	// ---- external payments ----

	private listPayments(query: Record<string, string>): ApiResponse {
		const includes = parseIncludes(query.include);
		const [field, direction] = parseOrder(query.order);
		const tests: Array<(row: Row) => boolean> = [];
		for (const key of ['workspace_id', 'invoice_id', 'user_id'] as const) {
			const value = query[key];
			if (value !== undefined) tests.push((row) => row.payment[key] === value);
		}
		const createdAfter = parseDateParam(query, 'created_after');
		const createdBefore = parseDateParam(query, 'created_before');
		const updatedAfter = parseDateParam(query, 'updated_after');
		const updatedBefore = parseDateParam(query, 'updated_before');
		if (createdAfter !== undefined) tests.push((row) => row.createdMs > createdAfter);
		if (createdBefore !== undefined) tests.push((row) => row.createdMs < createdBefore);
		if (updatedAfter !== undefined) tests.push((row) => row.updatedMs > updatedAfter);
		if (updatedBefore !== undefined) tests.push((row) => row.updatedMs < updatedBefore);
		const only = parseList(query.only);
		if (only) {
			const ids = new Set(only);
			tests.push((row) => ids.has(row.payment.id));
		}
		const window = parsePaging(query);

		const ascending = this.sortedBy(field);
		const matching = tests.length === 0 ? ascending : ascending.filter((row) => tests.every((t) => t(row)));
		const count = matching.length;
		let page: Row[];
		if (direction === 'asc') {
			page = matching.slice(window.start, window.start + window.size);
		} else {
			// Descending is the ascending order reversed (ties by id descending): slice from the end.
			const end = Math.max(count - window.start, 0);
			page = matching.slice(Math.max(end - window.size, 0), end).reverse();
		}
		const payments = page.map((row) => row.payment);
		return ok({ ...envelope('external_payments', payments, window.meta(count)), ...this.included(payments, includes) });
	}

	private showPayment(id: string, query: Record<string, string>): ApiResponse {
		const includes = parseIncludes(query.include);
		const row = this.find(this.rows, id, 'ExternalPayment');
		return ok({ ...envelope('external_payments', [row.payment], singleMeta()), ...this.included([row.payment], includes) });
	}

	private deletePayment(id: string): ApiResponse {
		const { payment } = this.find(this.rows, id, 'ExternalPayment');
		this.rows.delete(id);
		this.sorted.clear();
		const invoice = payment.invoice_id ? this.invoices.get(payment.invoice_id) : undefined;
		if (invoice && this.settledBy.get(invoice.id) === id) {
			// The payment that settled the invoice is gone: it is open again.
			this.settledBy.delete(invoice.id);
			invoice.status = 'pending';
			invoice.balance_in_cents = invoice.amount_in_cents;
			invoice.updated_at = isoSeconds(this.now().getTime());
		}
		return { status: 204 };
	}

	private createPayment(request: RecordedRequest, userId: string): ApiResponse {
		const contentType = String(request.headers['content-type'] ?? '');
		if (!/^application\/json\s*(;|$)/i.test(contentType)) {
			return kantataError(415, 'system', `Unsupported Content-Type "${contentType}"; send application/json`);
		}
		if (request.body === undefined && request.rawBody.trim() !== '') {
			return kantataError(400, 'system', 'The request body is not valid JSON');
		}
		const input = isObject(request.body) ? request.body.external_payment : undefined;
		if (!isObject(input)) {
			return kantataError(400, 'system', 'param is missing or the value is empty: external_payment');
		}
		const unknown = Object.keys(input).filter((key) => !PAYMENT_FIELDS.includes(key));
		if (unknown.length > 0) {
			return {
				status: 422,
				body: kantataErrorBody(
					...unknown.map((key): KantataError => ({
						type: 'validation',
						message: `Unknown attribute '${key}' for external_payment`,
						field: key,
					})),
				),
			};
		}

		const errors: KantataError[] = [];
		const invalid = (field: string, message: string) => errors.push({ type: 'validation', message, field });

		const workspaceId = parseIdValue(input.workspace_id);
		if (workspaceId === null) invalid('workspace_id', "Workspace can't be blank");
		else if (workspaceId === 'invalid') invalid('workspace_id', 'Workspace is not a valid id');
		else if (!this.workspaces.has(workspaceId)) invalid('workspace_id', `Workspace ${workspaceId} could not be found`);

		const invoiceId = parseIdValue(input.invoice_id);
		let invoice: KantataInvoice | undefined;
		if (invoiceId === 'invalid') {
			invalid('invoice_id', 'Invoice is not a valid id');
		} else if (invoiceId !== null) {
			invoice = this.invoices.get(invoiceId);
			if (!invoice) invalid('invoice_id', `Invoice ${invoiceId} could not be found`);
			else if (invoice.workspace_ids.length !== 1) {
				invalid('invoice_id', `Invoice ${invoiceId} covers several projects; only single project invoices can take an external payment`);
			} else if (typeof workspaceId === 'string' && invoice.workspace_ids[0] !== workspaceId) {
				invalid('invoice_id', `Invoice ${invoiceId} does not belong to workspace ${workspaceId}`);
			} else if (invoice.draft || invoice.status === 'draft') {
				invalid('invoice_id', `Invoice ${invoiceId} is a draft; external payments need a pending invoice`);
			} else if (invoice.status !== 'pending') {
				invalid('invoice_id', `Invoice ${invoiceId} is ${invoice.status}; external payments need a pending invoice`);
			}
		}

		let amount = 0;
		if (invoiceId === null) {
			const parsed = parseAmount(input.amount_in_cents);
			if (parsed === 'invalid') invalid('amount_in_cents', 'Amount in cents must be an integer');
			else if (parsed === null || parsed <= 0) invalid('amount_in_cents', 'Amount in cents must be greater than 0');
			else amount = parsed;
		}

		const message = input.message ?? null;
		if (message !== null && typeof message !== 'string') invalid('message', 'Message must be a string');
		else if (typeof message === 'string' && [...message].length > 255) {
			invalid('message', 'Message is too long (maximum is 255 characters)');
		}

		if (errors.length > 0) return { status: 422, body: kantataErrorBody(...errors) };

		const stamp = isoSeconds(this.now().getTime());
		if (invoice) {
			amount = invoice.amount_in_cents;
			invoice.status = 'paid';
			invoice.balance_in_cents = 0;
			invoice.updated_at = stamp;
		}
		const payment: ExternalPayment = {
			id: String(this.nextId),
			amount_in_cents: amount,
			message: message as string | null,
			invoice_id: invoice ? invoice.id : null,
			user_id: userId,
			workspace_id: workspaceId as string,
			created_at: stamp,
			updated_at: stamp,
		};
		this.store(payment);
		if (invoice) this.settledBy.set(invoice.id, payment.id);
		const includes = parseIncludes(request.query.include);
		return ok({ ...envelope('external_payments', [payment], singleMeta()), ...this.included([payment], includes) });
	}

	private sortedBy(field: OrderField): Row[] {
		let rows = this.sorted.get(field);
		if (!rows) {
			const key =
				field === 'id' ? (r: Row) => r.num : field === 'created_at' ? (r: Row) => r.createdMs : (r: Row) => r.updatedMs;
			rows = [...this.rows.values()].sort((a, b) => key(a) - key(b) || a.num - b.num);
			this.sorted.set(field, rows);
		}
		return rows;
	}

	private included(payments: ExternalPayment[], includes: Set<string>): Record<string, Record<string, unknown>> {
		const out: Record<string, Record<string, unknown>> = {};
		const sources = {
			invoice: [this.invoices, 'invoice_id'],
			user: [this.users, 'user_id'],
			workspace: [this.workspaces, 'workspace_id'],
		} as const;
		for (const name of includes) {
			const [records, key] = sources[name as keyof typeof sources];
			const keyed: Record<string, unknown> = {};
			for (const payment of payments) {
				const id = payment[key];
				const record = id === null ? undefined : records.get(id);
				if (id !== null && record) keyed[id] = record;
			}
			out[INCLUDES[name]] = keyed;
		}
		return out;
	}

	// ---- pickers ----

	private listWorkspaces(query: Record<string, string>): ApiResponse {
		const window = parsePaging(query);
		const search = query.search?.trim().toLowerCase();
		const only = parseList(query.only);
		const matching = byNumericId([...this.workspaces.values()]).filter(
			(w) => (!search || w.title.toLowerCase().includes(search)) && (!only || only.includes(w.id)),
		);
		return ok(envelope('workspaces', window.take(matching), window.meta(matching.length)));
	}

	private listInvoices(query: Record<string, string>): ApiResponse {
		const window = parsePaging(query);
		const workspaceId = query.workspace_id;
		const only = parseList(query.only);
		const matching = byNumericId([...this.invoices.values()]).filter(
			(i) => (!workspaceId || i.workspace_ids.includes(workspaceId)) && (!only || only.includes(i.id)),
		);
		return ok(envelope('invoices', window.take(matching), window.meta(matching.length)));
	}
}

/** A Kantata OX API on an ApiTestServer (not started yet: `await api.server.start()`). */
export function createKantataApi(options: { tokens?: string[] } = {}): { server: ApiTestServer; state: KantataState } {
	const state = new KantataState(options.tokens);
	const server = new ApiTestServer((request) => state.handle(request), API_PREFIX);
	return { server, state };
}

// ---- helpers ----

function ok(body: unknown): ApiResponse {
	return { status: 200, body };
}

function badRequest(message: string): HttpError {
	return new HttpError(kantataError(400, 'system', message));
}

function envelope(key: string, records: Array<{ id: string }>, meta: Meta): Record<string, unknown> {
	const keyed: Record<string, unknown> = {};
	for (const record of records) keyed[record.id] = record;
	return {
		count: meta.count,
		meta,
		results: records.map((record) => ({ key, id: record.id })),
		[key]: keyed,
	};
}

function singleMeta(): Meta {
	return { count: 1, page_count: 1, page_number: 1, page_size: DEFAULT_PER_PAGE };
}

function byNumericId<T extends { id: string }>(records: T[]): T[] {
	return records.sort((a, b) => Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseList(value: string | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
	return items.length > 0 ? items : undefined;
}

function parseIncludes(value: string | undefined): Set<string> {
	const names = parseList(value) ?? [];
	for (const name of names) {
		if (!(name in INCLUDES)) {
			throw badRequest(`Invalid include "${name}"; valid includes are: ${Object.keys(INCLUDES).join(', ')}`);
		}
	}
	return new Set(names);
}

function parseOrder(value: string | undefined): [OrderField, 'asc' | 'desc'] {
	if (value === undefined) return ['created_at', 'desc'];
	const match = /^([a-z_]+)(?::(asc|desc))?$/.exec(value.trim());
	const field = match?.[1] as OrderField | undefined;
	if (!match || !field || !ORDER_FIELDS.includes(field)) {
		throw badRequest(`Invalid order "${value}"; use one of ${ORDER_FIELDS.join(', ')} with :asc or :desc`);
	}
	return [field, (match[2] as 'asc' | 'desc' | undefined) ?? 'asc'];
}

/** ISO 8601 date or date-time (no offset = UTC) to epoch ms; anything else is a 400. */
function parseDateParam(query: Record<string, string>, name: string): number | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	const match =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
	let ms = NaN;
	if (match) {
		const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = match;
		const dateOk = new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() === +d && +mo >= 1 && +mo <= 12;
		const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
		if (dateOk) ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`);
	}
	if (Number.isNaN(ms)) throw badRequest(`Invalid ${name} "${value}"; expected an ISO 8601 date/time`);
	return ms;
}

interface PageWindow {
	start: number;
	size: number;
	meta: (count: number) => Meta;
	take: <T>(items: T[]) => T[];
}

/** page/per_page (per_page clamped to 200), or limit/offset which override them. */
function parsePaging(query: Record<string, string>): PageWindow {
	const int = (name: string, min: number): number | undefined => {
		const value = query[name];
		if (value === undefined) return undefined;
		if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
			throw badRequest(`Invalid ${name} "${value}"; expected an integer >= ${min}`);
		}
		return Number(value);
	};
	const perPage = Math.min(int('per_page', 1) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
	const pageNumber = int('page', 1) ?? 1;
	const limit = int('limit', 1);
	const offset = int('offset', 0);
	let start: number;
	let size: number;
	if (limit !== undefined || offset !== undefined) {
		size = Math.min(limit ?? perPage, MAX_PER_PAGE);
		start = offset ?? 0;
	} else {
		size = perPage;
		start = (pageNumber - 1) * perPage;
	}
	return {
		start,
		size,
		meta: (count) => ({
			count,
			page_count: Math.ceil(count / size),
			page_number: Math.floor(start / size) + 1,
			page_size: size,
		}),
		take: (items) => items.slice(start, start + size),
	};
}

/** An id in a JSON body: a positive integer number or a string of digits. */
function parseIdValue(value: unknown): string | null | 'invalid' {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : 'invalid';
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim().replace(/^0+(?=\d)/, '');
	return 'invalid';
}

/** amount_in_cents: an integer JSON number or a string of digits (optionally signed). */
function parseAmount(value: unknown): number | null | 'invalid' {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value === 'number') return Number.isSafeInteger(value) ? value : 'invalid';
	if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) {
		const parsed = Number(value.trim());
		return Number.isSafeInteger(parsed) ? parsed : 'invalid';
	}
	return 'invalid';
}
