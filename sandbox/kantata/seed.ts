/**
 * The Kantata OX sandbox's seed: the token, users, workspaces (projects) and invoices every state starts with,
 * and the rule that generates payments (`KantataState.seedPayments`).
 */
import { isoSeconds } from './records';
import type { InvoiceStatus, KantataInvoice, KantataUser, KantataWorkspace, PaymentRow } from './records';

export const DEFAULT_TOKEN = 'kantata-test-token';
/** The user every default token belongs to; becomes `user_id` of payments created through the API. */
export const DEFAULT_USER_ID = '201';
/** `created_at` of seeded payment 1; payment n is created n - 1 seconds later. */
export const SEED_START = '2024-01-01T00:00:00Z';

export const DEFAULT_USERS: KantataUser[] = [
	{ id: '201', full_name: 'Ada Lovelace', email_address: 'ada@example.com' },
	{ id: '202', full_name: 'Grace Hopper', email_address: 'grace@example.com' },
	{ id: '203', full_name: 'Alan Turing', email_address: 'alan@example.com' },
];

export const DEFAULT_WORKSPACES: KantataWorkspace[] = [
	{ id: '101', title: 'Website relaunch', currency: 'USD' },
	{ id: '102', title: 'Mobile app', currency: 'USD' },
	{ id: '103', title: 'Website maintenance', currency: 'EUR' },
];

export const DEFAULT_INVOICES: Array<[id: string, workspaceIds: string[], status: InvoiceStatus, amount: number]> = [
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

export interface SeedOptions {
	/** `created_at` of the first seeded payment (default: SEED_START + (first id - 1) seconds). */
	startAt?: string;
}

/**
 * `count` payments with ids from `firstId`. Payment n: workspace cycles (n-1) % 3, user cycles floor((n-1)/3) % 3,
 * every 4th payment is on the workspace's paid invoice (and has its amount), others 1000 + (n % 97) * 125 cents;
 * message `Payment n` except every 5th (null); created_at one second after the previous; updated_at = created_at,
 * except every 10th payment which was updated a day later.
 */
export function seededPayments(
	firstId: number,
	count: number,
	invoices: Iterable<KantataInvoice>,
	options: SeedOptions = {},
): PaymentRow[] {
	const workspaceIds = DEFAULT_WORKSPACES.map((w) => w.id);
	const userIds = DEFAULT_USERS.map((u) => u.id);
	const paidInvoice = new Map<string, KantataInvoice>();
	for (const invoice of invoices) {
		const [workspaceId] = invoice.workspace_ids;
		if (invoice.status === 'paid' && invoice.workspace_ids.length === 1 && !paidInvoice.has(workspaceId)) {
			paidInvoice.set(workspaceId, invoice);
		}
	}
	const startMs = options.startAt ? Date.parse(options.startAt) : Date.parse(SEED_START) + (firstId - 1) * 1000;
	if (Number.isNaN(startMs)) throw new Error(`bad startAt: ${options.startAt}`);
	const rows: PaymentRow[] = [];
	for (let i = 0; i < count; i++) {
		const n = firstId + i;
		const workspaceId = workspaceIds[(n - 1) % workspaceIds.length];
		const invoice = n % 4 === 0 ? paidInvoice.get(workspaceId) : undefined;
		const createdMs = startMs + i * 1000;
		const updatedMs = n % 10 === 0 ? createdMs + 86_400_000 : createdMs;
		const payment = {
			id: String(n),
			amount_in_cents: invoice ? invoice.amount_in_cents : 1000 + (n % 97) * 125,
			message: n % 5 === 0 ? null : `Payment ${n}`,
			invoice_id: invoice ? invoice.id : null,
			user_id: userIds[Math.floor((n - 1) / 3) % userIds.length],
			workspace_id: workspaceId,
			created_at: isoSeconds(createdMs),
			updated_at: isoSeconds(updatedMs),
		};
		rows.push({ payment, num: n, createdMs, updatedMs });
	}
	return rows;
}
