/**
 * The checks on a create request, as Kantata OX answers them: content type (415), JSON (400), the
 * `external_payment` wrapper (400), unknown attributes and field values (422, one error per field).
 */
import type { ApiResponse, RecordedRequest } from '../server';
import type { KantataInvoice } from './records';
import { kantataError, kantataErrorBody } from './responses';
import type { KantataError } from './responses';
import type { KantataState } from './state';

const PAYMENT_FIELDS = ['workspace_id', 'invoice_id', 'amount_in_cents', 'message'];

/** A create that passed every check: the payment takes the invoice's amount when it is on an invoice. */
export interface ValidPayment {
	workspaceId: string;
	invoice?: KantataInvoice;
	amount: number;
	message: string | null;
}

export function validatePayment(state: KantataState, request: RecordedRequest): ValidPayment | ApiResponse {
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
	else if (!state.workspaces.has(workspaceId)) invalid('workspace_id', `Workspace ${workspaceId} could not be found`);

	const invoiceId = parseIdValue(input.invoice_id);
	let invoice: KantataInvoice | undefined;
	if (invoiceId === 'invalid') {
		invalid('invoice_id', 'Invoice is not a valid id');
	} else if (invoiceId !== null) {
		invoice = state.invoices.get(invoiceId);
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
	return {
		workspaceId: workspaceId as string,
		invoice,
		amount: invoice ? invoice.amount_in_cents : amount,
		message: message as string | null,
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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
