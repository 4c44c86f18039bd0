/**
 * What the Kantata OX sandbox holds: tokens, users, workspaces, invoices and external payments, and the ways tests
 * and scripts set it up and read it back. The routes (routes.ts, payments.ts) read and change it through the
 * fields and methods below.
 */
import { isoSeconds } from './records';
import type { ExternalPayment, KantataInvoice, KantataUser, KantataWorkspace, PaymentRow } from './records';
import { DEFAULT_INVOICES, DEFAULT_TOKEN, DEFAULT_USER_ID, DEFAULT_USERS, DEFAULT_WORKSPACES, SEED_START, seededPayments } from './seed';
import type { SeedOptions } from './seed';

/** The fields the API sorts payments by. */
export const ORDER_FIELDS = ['created_at', 'id', 'updated_at'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export class KantataState {
	/** Clock for created_at/updated_at of payments created through the API. */
	now: () => Date = () => new Date();

	/** Access token → the user it belongs to. */
	tokens = new Map<string, string>();
	users = new Map<string, KantataUser>();
	workspaces = new Map<string, KantataWorkspace>();
	invoices = new Map<string, KantataInvoice>();
	rows = new Map<string, PaymentRow>();
	/** Invoice id -> the payment created through the API that settled it (deleting that payment reopens it). */
	settledBy = new Map<string, string>();
	private nextId = 1;
	/** Rows sorted ascending by one field (ties by id), rebuilt after a change to the payments. */
	private sorted = new Map<OrderField, PaymentRow[]>();

	constructor() {
		this.reset();
	}

	/** Back to the defaults: the default token, users, workspaces, invoices; no payments. */
	reset(): void {
		this.tokens = new Map([[DEFAULT_TOKEN, DEFAULT_USER_ID]]);
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

	/** Adds `count` payments with ids continuing from the last one, by the rule in seed.ts (`seededPayments`). */
	seedPayments(count: number, options: SeedOptions = {}): void {
		for (const row of seededPayments(this.nextId, count, this.invoices.values(), options)) {
			this.rows.set(row.payment.id, row);
		}
		this.nextId += count;
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

	/** The id the next payment created through the API gets. */
	newPaymentId(): string {
		return String(this.nextId);
	}

	store(payment: ExternalPayment): void {
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

	removePayment(id: string): void {
		this.rows.delete(id);
		this.sorted.clear();
	}

	/** All payments, ascending by `field`, ties by id. */
	sortedBy(field: OrderField): PaymentRow[] {
		let rows = this.sorted.get(field);
		if (!rows) {
			const key =
				field === 'id'
					? (r: PaymentRow) => r.num
					: field === 'created_at'
						? (r: PaymentRow) => r.createdMs
						: (r: PaymentRow) => r.updatedMs;
			rows = [...this.rows.values()].sort((a, b) => key(a) - key(b) || a.num - b.num);
			this.sorted.set(field, rows);
		}
		return rows;
	}
}
