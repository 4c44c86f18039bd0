/**
 * What the Moneybird sandbox holds: administrations, contacts, accounts, bank mutations, external sales invoices
 * with their payments, and tokens; and the ways tests and scripts set it up and read it back. The routes
 * (routes.ts, auth.ts, oauth.ts, validation.ts) read and change it through the fields and methods below.
 * IDs are strings everywhere; amounts are integer cents in BigInt, never floats.
 */
import type { MoneybirdScope } from './auth';
import { MONEYBIRD_SCOPES } from './auth';
import { formatCents, requireCents } from './money';
import { addDays } from './periods';
import type {
	Administration,
	Contact,
	FinancialAccount,
	FinancialMutation,
	Invoice,
	InvoiceState,
	LedgerAccount,
	Payment,
	TokenRecord,
} from './records';
import { invoiceJson } from './responses';
import { DEFAULT_REFRESH_TOKEN, DEFAULT_TOKEN, MONEYBIRD_SEED, seedMoneybird } from './seed';
import { MoneybirdWebhooks } from './webhooks';

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

export class MoneybirdState {
	/** Clock for "today" (default period, seeded dates) and timestamps. */
	now: () => Date = () => new Date();

	/** Registered webhooks and the pushes sent to them (webhooks.ts). */
	readonly webhooks = new MoneybirdWebhooks(() => this.now());

	administrations: Administration[] = [];
	contacts: Contact[] = [];
	invoices: Invoice[] = [];
	financialAccounts: FinancialAccount[] = [];
	ledgerAccounts: LedgerAccount[] = [];
	/** Bank mutations, which a `bank_transfer` payment names. */
	financialMutations: FinancialMutation[] = [];
	/** Access token → scopes (and whether it has been made to expire). */
	tokens = new Map<string, TokenRecord>();
	/** Refresh token → the access token it refreshes. */
	refreshTokens = new Map<string, string>();
	/** Numbers the tokens oauth.ts issues. */
	tokenCounter = 0;
	private idCounter = 458026357500000000n;
	private entryCounter = 100;

	/** The default token (with its refresh token) and the seed (seed.ts). */
	constructor() {
		this.addToken(DEFAULT_TOKEN, [...MONEYBIRD_SCOPES], { refreshToken: DEFAULT_REFRESH_TOKEN });
		seedMoneybird(this);
	}

	addToken(
		token: string,
		scopes: readonly MoneybirdScope[] = MONEYBIRD_SCOPES,
		options: { refreshToken?: string } = {},
	): void {
		this.tokens.set(token, { scopes: [...scopes], expired: false, refreshToken: options.refreshToken });
		if (options.refreshToken) this.refreshTokens.set(options.refreshToken, token);
	}

	/** The token answers 401 from now on (its refresh token still works). */
	expireToken(token: string): void {
		const record = this.tokens.get(token);
		if (!record) throw new Error(`unknown token ${token}`);
		record.expired = true;
	}

	/** Adds an external sales invoice; returns its id. */
	addInvoice(input: NewInvoice): string {
		const administrationId = input.administrationId ?? MONEYBIRD_SEED.administrations.main;
		const administration = this.administration(administrationId);
		if (!administration) throw new Error(`unknown administration ${administrationId}`);
		const contactId =
			input.contactId ?? this.contacts.find((c) => c.administrationId === administrationId)?.id;
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
		this.invoices.push(invoice);
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
		const invoice = this.invoices.find((i) => i.id === id);
		if (!invoice) throw new Error(`unknown invoice ${id}`);
		return invoiceJson(this, invoice);
	}

	paymentsOf(invoiceId: string): Payment[] {
		return [...(this.invoices.find((i) => i.id === invoiceId)?.payments ?? [])];
	}

	/** Payments on all invoices, seeded ones included. */
	paymentCount(): number {
		return this.invoices.reduce((n, i) => n + i.payments.length, 0);
	}

	/** Groups (of two or more) of payments with the same invoice, transaction_identifier, date and price. */
	findDuplicatePayments(): Payment[][] {
		const groups = new Map<string, Payment[]>();
		for (const invoice of this.invoices) {
			for (const p of invoice.payments) {
				const key = JSON.stringify([p.invoice_id, p.transaction_identifier, p.payment_date, p.price]);
				groups.set(key, [...(groups.get(key) ?? []), p]);
			}
		}
		return [...groups.values()].filter((g) => g.length > 1);
	}

	administration(id: string): Administration | undefined {
		return this.administrations.find((a) => a.id === id);
	}

	contact(administrationId: string, id: string): Contact | undefined {
		return this.contacts.find((c) => c.id === id && c.administrationId === administrationId);
	}

	invoice(administrationId: string, id: string): Invoice | undefined {
		return this.invoices.find((i) => i.id === id && i.administrationId === administrationId);
	}

	invoiceState(invoice: Invoice): InvoiceState {
		return invoice.payments.length > 0 && this.unpaidCents(invoice) <= 0n ? 'paid' : invoice.unpaidState;
	}

	unpaidCents(invoice: Invoice): bigint {
		return invoice.payments.reduce((sum, p) => sum - requireCents(p.price), invoice.totalCents);
	}

	newPayment(
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

	nextId(): string {
		this.idCounter += 1n;
		return this.idCounter.toString();
	}

	timestamp(): string {
		return this.now().toISOString();
	}

	/** Today in the administration's time zone, `YYYY-MM-DD`. */
	today(administration: Pick<Administration, 'time_zone'>): string {
		return new Intl.DateTimeFormat('en-CA', {
			timeZone: administration.time_zone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(this.now());
	}
}
