/** The Moneybird records the sandbox keeps. Where a record is returned as-is, it has exactly the fields of its response schema. */
import type { MoneybirdScope } from './auth';

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

export interface TokenRecord {
	scopes: MoneybirdScope[];
	expired: boolean;
	refreshToken?: string;
}
