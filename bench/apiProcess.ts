/**
 * The local Kantata OX and Moneybird APIs in a process of their own, so the benchmark's memory figures are the
 * engine's and the node's alone. Driven over IPC by bench/run.ts.
 */
import { createKantataApi } from '../sandbox/kantata';
import { searchPeriod } from '../nodes/Moneybird/invoiceByReference';
import { createMoneybirdApi, MONEYBIRD_SEED, moneybirdRateLimit } from '../sandbox/moneybird';

export type Command =
	| { type: 'kantata'; seed: number; latencyMs: number }
	| {
			type: 'moneybird';
			invoices: number;
			limit?: { requests: number; windowMs: number; headersOnSuccess: boolean };
			latencyMs: number;
	  }
	| { type: 'stats' };

export interface Stats {
	kantataRequests: number;
	kantataConnections: number;
	kantataRecordsSent: number;
	kantataPayments: number;
	moneybirdRequests: number;
	moneybirdRateLimited: number;
	moneybirdPayments: number;
	moneybirdDuplicates: number;
}

async function main() {
	const kantata = createKantataApi();
	const moneybird = createMoneybirdApi();
	await kantata.server.start();
	await moneybird.server.start();
	let moneybirdInvoices: string[] = [];
	// Records in Kantata's answers: what a list really transferred.
	let kantataRecordsSent = 0;
	const handle = kantata.server.handler;
	kantata.server.handler = async (request) => {
		const answer = await handle(request);
		kantataRecordsSent += (answer.body as { results?: unknown[] } | undefined)?.results?.length ?? 0;
		return answer;
	};
	const basePayments = moneybird.state.paymentCount();

	process.on('message', (command: Command) => {
		if (command.type === 'kantata') {
			kantata.state.clearPayments();
			kantata.state.seedPayments(command.seed);
			kantata.server.resetLog();
			kantataRecordsSent = 0;
			kantata.server.latencyMs = command.latencyMs;
			process.send!({ url: kantata.server.url });
		} else if (command.type === 'moneybird') {
			moneybirdInvoices = Array.from({ length: command.invoices }, () => moneybird.state.addInvoice({ amount: '1000.00' }));
			moneybird.server.resetLog();
			moneybird.server.latencyMs = command.latencyMs;
			if (command.limit) {
				moneybird.server.rateLimit = moneybirdRateLimit(command.limit.requests, command.limit.windowMs, { headersOnSuccess: command.limit.headersOnSuccess });
			}
			else moneybird.server.rateLimit = undefined;
			const references = moneybirdInvoices.map((id) => String(moneybird.state.getInvoice(id).reference));
			// The pages of 100 a By Reference listing of the searched period takes: the main administration's invoices in it.
			const { from, to } = searchPeriod(undefined);
			const main = MONEYBIRD_SEED.administrations.main;
			const listed = moneybird.state.invoices.filter((i) => i.administrationId === main && i.date >= from && i.date <= to).length;
			process.send!({
				url: moneybird.server.url,
				invoices: moneybirdInvoices,
				references,
				invoiceCount: moneybird.state.invoices.length,
				listingPages: Math.ceil(listed / 100),
			});
		} else {
			const stats: Stats = {
				kantataRequests: kantata.server.requests.length,
				kantataConnections: kantata.server.connections,
				kantataRecordsSent,
				kantataPayments: kantata.state.countPayments(),
				moneybirdRequests: moneybird.server.requests.length,
				moneybirdRateLimited: moneybird.server.rateLimited,
				moneybirdPayments: moneybird.state.paymentCount() - basePayments,
				moneybirdDuplicates: moneybird.state.findDuplicatePayments().length,
			};
			process.send!(stats);
		}
	});
	process.send!({ ready: true });
}

void main();
