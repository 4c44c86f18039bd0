/** The external payments routes: list (filters, order, paging, includes), show, create and delete. */
import { ok } from '../server';
import type { ApiResponse, RecordedRequest } from '../server';
import { isoSeconds } from './records';
import type { ExternalPayment, PaymentRow } from './records';
import { parseDateParam, parseIncludes, parseList, parseOrder, parsePaging, singleMeta, INCLUDES } from './query';
import { envelope, find } from './responses';
import type { KantataState } from './state';
import { validatePayment } from './validation';

export function listPayments(state: KantataState, query: Record<string, string>): ApiResponse {
	const includes = parseIncludes(query.include);
	const [field, direction] = parseOrder(query.order);
	const tests: Array<(row: PaymentRow) => boolean> = [];
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

	const ascending = state.sortedBy(field);
	const matching = tests.length === 0 ? ascending : ascending.filter((row) => tests.every((t) => t(row)));
	const count = matching.length;
	let page: PaymentRow[];
	if (direction === 'asc') {
		page = matching.slice(window.start, window.start + window.size);
	} else {
		// Descending is the ascending order reversed (ties by id descending): slice from the end.
		const end = Math.max(count - window.start, 0);
		page = matching.slice(Math.max(end - window.size, 0), end).reverse();
	}
	const payments = page.map((row) => row.payment);
	return ok({ ...envelope('external_payments', payments, window.meta(count)), ...included(state, payments, includes) });
}

export function showPayment(state: KantataState, id: string, query: Record<string, string>): ApiResponse {
	const includes = parseIncludes(query.include);
	const row = find(state.rows, id, 'ExternalPayment');
	return ok({ ...envelope('external_payments', [row.payment], singleMeta()), ...included(state, [row.payment], includes) });
}

export function deletePayment(state: KantataState, id: string): ApiResponse {
	const { payment } = find(state.rows, id, 'ExternalPayment');
	state.removePayment(id);
	const invoice = payment.invoice_id ? state.invoices.get(payment.invoice_id) : undefined;
	if (invoice && state.settledBy.get(invoice.id) === id) {
		// The payment that settled the invoice is gone: it is open again.
		state.settledBy.delete(invoice.id);
		invoice.status = 'pending';
		invoice.balance_in_cents = invoice.amount_in_cents;
		invoice.updated_at = isoSeconds(state.now().getTime());
	}
	return { status: 204 };
}

/** A create that passes validation.ts; a payment on an invoice takes its amount and marks it paid. */
export function createPayment(state: KantataState, request: RecordedRequest, userId: string): ApiResponse {
	const valid = validatePayment(state, request);
	if ('status' in valid) return valid;
	const { invoice } = valid;
	const stamp = isoSeconds(state.now().getTime());
	if (invoice) {
		invoice.status = 'paid';
		invoice.balance_in_cents = 0;
		invoice.updated_at = stamp;
	}
	const payment: ExternalPayment = {
		id: state.newPaymentId(),
		amount_in_cents: valid.amount,
		message: valid.message,
		invoice_id: invoice ? invoice.id : null,
		user_id: userId,
		workspace_id: valid.workspaceId,
		created_at: stamp,
		updated_at: stamp,
	};
	state.store(payment);
	if (invoice) state.settledBy.set(invoice.id, payment.id);
	const includes = parseIncludes(request.query.include);
	return ok({ ...envelope('external_payments', [payment], singleMeta()), ...included(state, [payment], includes) });
}

/** The records `include=` asks for, keyed by id, under the envelope keys in INCLUDES. */
function included(
	state: KantataState,
	payments: ExternalPayment[],
	includes: Set<string>,
): Record<string, Record<string, unknown>> {
	const out: Record<string, Record<string, unknown>> = {};
	const sources = {
		invoice: [state.invoices, 'invoice_id'],
		user: [state.users, 'user_id'],
		workspace: [state.workspaces, 'workspace_id'],
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
