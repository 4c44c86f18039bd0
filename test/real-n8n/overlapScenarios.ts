/**
 * Overlapping runs (issue 27, item 5): the same 100 rows reach n8n twice at once, as when a sheet is polled again
 * before its last run ended or one webhook call gives two executions, with Skip If Already Recorded on. Each run
 * lists what is recorded before the other records; after its creates each looks again, and of two payments with
 * one key the later is deleted. Checked in one `n8n start` here and with two queue-mode workers (queueScenarios.ts):
 * 100 payments in each service, and each row output once as recorded now, once as already recorded.
 */
import { freePort, startN8n } from '../../scripts/n8nLocal';
import type { N8nMajor } from '../../scripts/n8nLocal';
import { MONEYBIRD_SEED } from '../../sandbox/moneybird';
import { waitForWebhook } from './queueMode';
import { activate, realN8nFixture, waitFor, watchProcess } from './realN8n';
import type { Sandbox } from './realN8n';
import { byId, kantataOx, moneybird, splitOut, webhook, workflow } from './workflowBuilders';
import type { WorkflowJson } from './workflowBuilders';

const ADM = MONEYBIRD_SEED.administrations.main;
const ROWS = 100;
const INVOICES = 10;
export const OVERLAP_HOOKS = { kantata: 'overlap-kantata', moneybird: 'overlap-moneybird' };
const PROJECT = '101';

/** The two workflows: a webhook's rows recorded in one service each, keyed, Skip If Already Recorded on. */
export function overlapWorkflows(): WorkflowJson[] {
	return [
		workflow(
			'overlapKantata',
			[
				[
					splitOut('Rows', 'body.rows'),
					kantataOx('Record in Kantata OX', {
						operation: 'create',
						project: byId(PROJECT),
						recordFor: 'amount',
						amount: '={{ $json.amount }}',
						paymentKey: '={{ $json.key }}',
						options: { skipIfAlreadyRecorded: true },
					}),
				],
			],
			webhook('Rows in', OVERLAP_HOOKS.kantata),
		),
		workflow(
			'overlapMoneybird',
			[
				[
					splitOut('Rows', 'body.rows'),
					moneybird('Record in Moneybird', {
						operation: 'create',
						administration: byId(ADM),
						invoice: byId('={{ $json.invoice }}'),
						paymentDate: '2026-03-01',
						amount: '={{ $json.amount }}',
						additionalFields: { transactionIdentifier: '={{ $json.key }}' },
						options: { skipIfAlreadyRecorded: true },
					}),
				],
			],
			webhook('Rows in', OVERLAP_HOOKS.moneybird),
		),
	];
}

type Answer = { status: number; items: Array<Record<string, unknown>>; body?: string };

async function post(port: number, hook: string, rows: unknown[]): Promise<Answer> {
	const answer = await fetch(`http://127.0.0.1:${port}/webhook/${hook}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ rows }),
	});
	const text = await answer.text();
	return answer.status === 200 ? { status: 200, items: JSON.parse(text) as Answer['items'] } : { status: answer.status, items: [], body: text };
}

/**
 * Posts the same 100 rows twice at once to each service's workflow and checks what the sandbox recorded and what
 * both executions answered. `label` says where (one n8n, queue mode) in the figures it prints.
 */
export async function overlapTwice(port: number, sandbox: Sandbox, label: string): Promise<void> {
	const { kantata, moneybird: mb } = sandbox;
	const invoices = Array.from({ length: INVOICES }, (_, i) => mb.state.addInvoice({ amount: '100000.00', reference: `OVERLAP-${i}` }));
	const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `OVL-${i}`, amount: `${i + 1}.00`, invoice: invoices[i % INVOICES] }));
	const kantataBefore = kantata.server.requests.length;
	const moneybirdBefore = mb.server.requests.length;

	const [k1, k2, m1, m2] = await Promise.all([
		post(port, OVERLAP_HOOKS.kantata, rows),
		post(port, OVERLAP_HOOKS.kantata, rows),
		post(port, OVERLAP_HOOKS.moneybird, rows),
		post(port, OVERLAP_HOOKS.moneybird, rows),
	]);

	for (const answer of [k1, k2, m1, m2]) {
		expect(answer).toMatchObject({ status: 200 });
		expect(answer.items).toHaveLength(ROWS);
	}
	// The sandboxes' record: each row's payment once.
	const keyOf = (message: unknown) => /\[n8n-key:(OVL-\d+)\]$/.exec(String(message ?? ''))?.[1];
	const kantataPayments = kantata.state.sortedBy('id').map((entry) => entry.payment).filter((payment) => keyOf(payment.message));
	expect(kantataPayments.map((payment) => keyOf(payment.message)).sort()).toEqual(rows.map((row) => row.key).sort());
	const moneybirdPayments = invoices.flatMap((invoice) => mb.state.paymentsOf(invoice));
	expect(moneybirdPayments.map((payment) => payment.transaction_identifier).sort()).toEqual(rows.map((row) => row.key).sort());
	expect(mb.state.findDuplicatePayments()).toEqual([]);
	// Each row: output by both executions as the payment kept, recorded now by one and already recorded by the other.
	const kept = {
		kantata: new Map(kantataPayments.map((payment) => [keyOf(payment.message), String(payment.id)])),
		moneybird: new Map(moneybirdPayments.map((payment) => [payment.transaction_identifier, String(payment.id)])),
	};
	for (const [service, answers] of [['kantata', [k1, k2]], ['moneybird', [m1, m2]]] as const) {
		rows.forEach((row, index) => {
			const outputs = answers.map((answer) => answer.items[index]);
			expect(outputs.map((json) => String(json.id))).toEqual([kept[service].get(row.key), kept[service].get(row.key)]);
			expect(outputs.map((json) => json.alreadyRecorded).sort()).toEqual([false, true]);
		});
	}
	const sent = (requests: Array<{ method: string }>) => {
		const count: Record<string, number> = {};
		for (const { method } of requests) count[method] = (count[method] ?? 0) + 1;
		return JSON.stringify(count);
	};
	console.log(
		`overlapping runs, ${label}: ${ROWS} rows twice at once; Kantata OX requests ${sent(kantata.server.requests.slice(kantataBefore))}, ` +
			`Moneybird requests ${sent(mb.server.requests.slice(moneybirdBefore))}`,
	);
}

export function overlapScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'overlap');
	const ids = overlapWorkflows().map((built) => register(built.id, () => built));

	describe(`n8n ${major}.x: two executions of the same 100 rows at once, in one \`n8n start\``, () => {
		it('record 100 payments in each service; each row once recorded now and once already recorded', async () => {
			const { n8n, userFolder, sandbox } = real();
			for (const id of ids) await activate(n8n, userFolder, id);
			const port = await freePort();
			const running = watchProcess(await startN8n(n8n, userFolder, { port, stdio: 'pipe', env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } }));
			try {
				await waitFor('n8n to start', () => /Editor is now accessible/.test(running.output()), 240_000, running.output);
				for (const hook of Object.values(OVERLAP_HOOKS)) await waitForWebhook({ port, output: running.output }, hook);
				await overlapTwice(port, sandbox, `one n8n ${n8n.version}`);
			} finally {
				await running.stop();
			}
		});
	});
}
