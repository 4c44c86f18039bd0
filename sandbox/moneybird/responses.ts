/** How the Moneybird sandbox answers: `symbolic_error` bodies, and invoices and contacts as their response schemas. */
import type { ApiResponse } from '../server';
import { formatCents, requireCents } from './money';
import type { Contact, Invoice } from './records';
import { MONEYBIRD_SEED } from './seed';
import type { MoneybirdState } from './state';

const TAX_RATE_ID = '458026357080000001';

/** `symbolic_error`: `{ error, symbolic? }`. */
export function error(
	status: number,
	message: string,
	symbolic?: Record<string, unknown>,
	headers?: Record<string, string>,
): ApiResponse {
	return { status, body: symbolic ? { error: message, symbolic } : { error: message }, headers };
}

export function recordNotFound(key: string): ApiResponse {
	return error(404, 'record not found', { [key]: 'not_found' });
}

/** `external_sales_invoice_response`. */
export function invoiceJson(state: MoneybirdState, invoice: Invoice): Record<string, unknown> {
	const contact = state.contact(invoice.administrationId, invoice.contactId)!;
	const paidCents = invoice.totalCents - state.unpaidCents(invoice);
	const paidBaseCents = invoice.payments.reduce((sum, p) => sum + requireCents(p.price_base), 0n);
	// Prices are incl. 21% VAT: tax = total × 21/121, rounded half up.
	const tax = (invoice.totalCents * 42n + 121n) / 242n;
	const taxBase = (invoice.totalBaseCents * 42n + 121n) / 242n;
	const invoiceState = state.invoiceState(invoice);
	const lastPayment = invoice.payments.map((p) => p.payment_date).sort().pop() ?? null;
	const revenueLedger = state.ledgerAccounts.find(
		(l) => l.administration_id === invoice.administrationId && l.account_type === 'revenue',
	);
	return {
		id: invoice.id,
		administration_id: invoice.administrationId,
		contact_id: contact.id,
		contact: contactJson(contact),
		date: invoice.date,
		state: invoiceState,
		due_date: invoice.dueDate,
		reference: invoice.reference,
		entry_number: invoice.entryNumber,
		origin: 'api',
		source: invoice.source,
		source_url: invoice.sourceUrl,
		currency: invoice.currency,
		paid_at: invoiceState === 'paid' ? lastPayment : null,
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
