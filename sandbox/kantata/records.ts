/** The Kantata OX records the sandbox keeps, as the API (v1) returns them. */

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

/** A stored payment with its sort keys. */
export interface PaymentRow {
	payment: ExternalPayment;
	num: number;
	createdMs: number;
	updatedMs: number;
}

/** ISO 8601 at whole seconds in UTC, e.g. `2024-01-01T00:00:00Z`, as Kantata writes timestamps. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19) + 'Z';
}
