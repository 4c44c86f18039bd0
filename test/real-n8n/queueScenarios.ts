/**
 * Queue mode (issue 10, item 5), the same for every major: main and two workers on Redis, with both workflows
 * active. A batch of Moneybird creates arrives as webhook calls that the workers split between them, against one
 * account's rate limit that both workers spend; the Kantata OX Trigger polls in main and its executions run on
 * the workers. Asserted on the sandbox's record, on the stored run data and on the workers' own log lines.
 */
import path from 'node:path';

import { packPackages } from '../../scripts/communityInstall';
import { importSandboxCredentials, importWorkflows } from '../../scripts/n8nImports';
import { CACHE, ensureN8n, prepareUserFolder } from '../../scripts/n8nLocal';
import type { N8nInstall, N8nMajor } from '../../scripts/n8nLocal';
import { startSandbox } from '../../scripts/sandbox';
import { isoSeconds } from '../../sandbox/kantata';
import { MONEYBIRD_SEED, moneybirdRateLimit } from '../../sandbox/moneybird';
import { startQueueMode, waitForWebhook, workerOfExecutions } from './queueMode';
import type { QueueMode } from './queueMode';
import { activate, waitFor } from './realN8n';
import type { Sandbox } from './realN8n';
import { OVERLAP_HOOKS, overlapTwice, overlapWorkflows } from './overlapScenarios';
import { storedExecutions, outputOf } from './storedRuns';
import { byId, kantataOxTrigger, moneybird, splitOut, webhook, workflow } from './workflowBuilders';

const ADM = MONEYBIRD_SEED.administrations.main;
const HOOK = 'record-payments';
/** The sandbox's small copy of Moneybird's account-wide limit (150 requests in 5 minutes). */
const LIMIT = { requests: 15, windowMs: 3000 };
const BATCHES = 8;
const ROWS = 12;

export function queueModeScenarios(major: N8nMajor): void {
	// The shortest poll interval each major accepts: 3 s on 1.x, a minute on 2.x.
	const pollSeconds = major === 1 ? 3 : 60;
	describe(`n8n ${major}.x in queue mode: main and two workers on Redis`, () => {
		let n8n: N8nInstall;
		let userFolder: string;
		let sandbox: Sandbox;
		let queue: QueueMode | undefined;

		beforeAll(async () => {
			n8n = ensureN8n(major);
			userFolder = await prepareUserFolder(n8n, 'queue', packPackages(path.join(CACHE, 'pack'), { build: false }));
			sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
			await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
			const record = workflow(
				'queueRecord',
				[
					[
						splitOut('Rows', 'body.rows'),
						moneybird('Record payment', {
							operation: 'create',
							administration: byId(ADM),
							invoice: byId('={{ $json.invoice }}'),
							paymentDate: '2025-03-01',
							amount: '={{ $json.amount }}',
							additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
						}),
					],
				],
				webhook('Payments in', HOOK),
			);
			const trigger = workflow('queueTrigger', [], kantataOxTrigger('New payment', pollSeconds < 60 ? pollSeconds : undefined));
			const overlap = overlapWorkflows();
			await importWorkflows(n8n, userFolder, [record, trigger, ...overlap]);
			for (const id of [record.id, trigger.id, ...overlap.map((built) => built.id)]) await activate(n8n, userFolder, id);
			queue = await startQueueMode(n8n, userFolder, { workers: 2, concurrency: 2 });
			for (const hook of [HOOK, ...Object.values(OVERLAP_HOOKS)]) await waitForWebhook(queue, hook);
		});

		afterAll(async () => {
			await queue?.stop();
			await sandbox?.stop();
		});

		it(`${BATCHES * ROWS} rate-limited Moneybird creates split over both workers: all recorded, none failed, none twice`, async () => {
			const { moneybird: mb } = sandbox;
			mb.server.rateLimit = moneybirdRateLimit(LIMIT.requests, LIMIT.windowMs);
			mb.server.resetLog();
			const batches = Array.from({ length: BATCHES }, (_, b) => {
				const invoice = mb.state.addInvoice({ amount: '1000.00', reference: `QUEUE-${b}` });
				return Array.from({ length: ROWS }, (_, r) => ({ invoice, amount: `${r + 1}.00`, reference: `Q-${b}-${r}` }));
			});

			const started = Date.now();
			const answers = await Promise.all(
				batches.map(async (rows) => {
					const answer = await fetch(`http://127.0.0.1:${queue!.port}/webhook/${HOOK}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ rows }),
					});
					const text = await answer.text();
					// A failed call keeps n8n's words, so a failure shows them.
					return answer.status === 200
						? { status: answer.status, items: JSON.parse(text) as Array<Record<string, unknown>> }
						: { status: answer.status, items: [], body: text };
				}),
			);
			const seconds = (Date.now() - started) / 1000;

			for (const [b, answer] of answers.entries()) {
				expect(answer).toMatchObject({ status: 200 });
				expect(answer.items.map((item) => item.transaction_identifier)).toEqual(batches[b].map((row) => row.reference));
			}
			// The sandbox's record: each row once, on its own invoice, and no payment twice.
			for (const rows of batches) {
				const recorded = mb.state.paymentsOf(rows[0].invoice).map((p) => p.transaction_identifier);
				expect(recorded.sort()).toEqual(rows.map((row) => row.reference).sort());
			}
			expect(mb.state.findDuplicatePayments()).toEqual([]);
			// The stored runs: one successful webhook execution per batch, every item without an error.
			const executions = storedExecutions(n8n, userFolder, 'queueRecord');
			expect(executions.map((e) => [e.mode, e.status])).toEqual(batches.map(() => ['webhook', 'success']));
			for (const execution of executions) {
				const items = outputOf(execution, 'Record payment');
				expect(items).toHaveLength(ROWS);
				expect(items.filter((item) => item.error ?? item.json.error)).toEqual([]);
			}
			// Both workers took part.
			const ran = workerOfExecutions(queue!);
			expect(new Set(executions.map((e) => ran.get(e.id)))).toEqual(new Set(['worker 1', 'worker 2']));

			// Figures for the README: what the per-process rate-limit pause costs with two workers.
			const creates = BATCHES * ROWS;
			// The fixed windows are aligned to multiples of their length: the last create can go at the start of
			// the window that has room for it, counted from the window the first went in.
			const lastWindowStart = (Math.floor(started / LIMIT.windowMs) + Math.ceil(creates / LIMIT.requests) - 1) * LIMIT.windowMs;
			const floorSeconds = (lastWindowStart - started) / 1000;
			console.log(
				`queue mode, n8n ${n8n.version}: ${creates} creates in ${seconds.toFixed(1)} s (limit ${LIMIT.requests} / ${LIMIT.windowMs / 1000} s; ` +
					`the limit allows ${floorSeconds.toFixed(1)} s at best), ${mb.server.requests.length} requests, ${mb.server.rateLimited} answered 429; ` +
					`executions per worker: ${JSON.stringify(countBy([...ran.values()]))}`,
			);
		});

		it('the Kantata OX Trigger polls in main and each new payment starts one run on a worker, once', async () => {
			const { kantata } = sandbox;
			const LISTING = '/api/v1/external_payments.json';
			const polls = () => kantata.server.requests.filter((r) => r.method === 'GET' && r.path === LISTING).length;
			await waitFor('a first poll', () => polls() >= 1, 120_000, queue!.output);
			const pollsAfter = async (count: number) => {
				const target = polls() + count;
				await waitFor(`${count} more polls`, () => polls() >= target, (count + 1) * pollSeconds * 1000 + 30_000, queue!.output);
			};

			const second = isoSeconds(Date.now());
			const first = kantata.state.addPayment({ workspace_id: '101', created_at: second, message: 'queue first' });
			const sameSecond = kantata.state.addPayment({ workspace_id: '101', created_at: second, message: 'queue same second' });
			await pollsAfter(1);
			const next = kantata.state.addPayment({ workspace_id: '103', message: 'queue next' });
			// One poll finds it, the one after must not emit anything again.
			await pollsAfter(2);
			const finished = () => storedExecutions(n8n, userFolder, 'queueTrigger').filter((e) => e.status !== 'running' && e.status !== 'new');
			await waitFor('the trigger runs to finish on the workers', () => emitted(finished()).length >= 3, 60_000, queue!.output);

			const executions = finished();
			expect(executions.map((e) => [e.mode, e.status])).toEqual(executions.map(() => ['trigger', 'success']));
			expect(emitted(executions).sort()).toEqual([first.id, sameSecond.id, next.id].sort());
			const ran = workerOfExecutions(queue!);
			expect(executions.every((e) => ran.get(e.id)?.startsWith('worker'))).toBe(true);
		});

		// After the trigger's scenario, whose poll count these requests would change.
		it('two executions of the same 100 rows at once, on the workers: 100 payments in each service (overlapScenarios.ts)', async () => {
			sandbox.moneybird.server.rateLimit = undefined;
			await overlapTwice(queue!.port, sandbox, `queue mode, n8n ${n8n.version}`);
		});
	});
}

function emitted(executions: ReturnType<typeof storedExecutions>): unknown[] {
	return executions.flatMap((e) => outputOf(e, 'New payment').map((item) => item.json.id));
}

function countBy(values: string[]): Record<string, number> {
	return values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});
}
