/**
 * Queue mode, a worker killed mid-batch (issue 18, item 3), the same for every major: main and two workers on
 * Redis; a webhook call brings 60 rows, each recorded in Moneybird and in Kantata OX (Skip If Already Recorded on
 * both; Kantata with the row's Payment Key), ten rows at a time with n8n's Loop Over Items so that both services
 * are part-way when the worker that runs it is killed with SIGKILL (its process group). The same rows are then
 * sent again, a new execution that the other worker runs: each row ends up recorded exactly once in each service.
 * What n8n then does with the killed execution differs between majors and is printed, not asserted.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';

import { packPackages } from '../../scripts/communityInstall';
import { importSandboxCredentials, importWorkflows } from '../../scripts/n8nImports';
import { CACHE, ensureN8n, prepareUserFolder } from '../../scripts/n8nLocal';
import type { N8nInstall, N8nMajor } from '../../scripts/n8nLocal';
import { startSandbox } from '../../scripts/sandbox';
import type { RecordedRequest } from '../../sandbox/server';
import { MONEYBIRD_SEED } from '../../sandbox/moneybird';
import { startQueueMode, waitForWebhook } from './queueMode';
import type { QueueMode } from './queueMode';
import { activate, waitFor } from './realN8n';
import type { Sandbox } from './realN8n';
import { storedExecutions } from './storedRuns';
import type { StoredExecution, StoredItem } from './storedRuns';
import { byId, kantataOx, moneybird, splitOut, webhook, workflow } from './workflowBuilders';
import type { WorkflowNode } from './workflowBuilders';

const ADM = MONEYBIRD_SEED.administrations.main;
const HOOK = 'crash-rows';
const WORKFLOW = 'queueCrash';
const PROJECT = '191';
const ROWS = 60;
const PER_LOOP = 10;
const LISTING = '/api/v1/external_payments.json';
/** Each answer this late while the first execution runs, so that it takes seconds and is caught part-way. */
const LATENCY_MS = 40;
/**
 * Bull's lock on a running job, its renewal and the stalled-job check, and main's check for executions whose job
 * is gone, all shortened from n8n's defaults (60 s, 10 s, 30 s, 180 minutes) so that what n8n does with the
 * killed execution shows within seconds. The lock still outlasts the second execution by far.
 */
const QUEUE_TIMING = {
	QUEUE_WORKER_LOCK_DURATION: '15000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1',
};

/** How long the killed execution is watched for n8n to settle it (or run it again, and that run to end). */
const SETTLE_MS = 45_000;

const keyOfRow = (row: number) => `QC-${String(row).padStart(2, '0')}`;
const keyTagOf = (message: unknown) => /\[n8n-key:([^[\]]+)\]$/.exec(String(message ?? ''))?.[1];
const kantataCreate = (r: RecordedRequest) => r.method === 'POST' && r.path === LISTING;
const sentKey = (r: RecordedRequest) => keyTagOf((r.body as { external_payment?: { message?: string } })?.external_payment?.message);
const isMoneybirdCreate = (r: RecordedRequest) => r.method === 'POST' && /\/payments\.json$/.test(r.path);

/** n8n's Loop Over Items (Split in Batches v3): output 0 "done" once every item went round, output 1 the next batch. */
function loopOverItems(name: string, batchSize: number): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.splitInBatches',
		typeVersion: 3,
		position: [0, 0],
		parameters: { batchSize, options: {} },
	};
}

export function queueCrashScenarios(major: N8nMajor): void {
	describe(`n8n ${major}.x in queue mode: a worker killed mid-batch, the rows sent again`, () => {
		let n8n: N8nInstall;
		let userFolder: string;
		let sandbox: Sandbox;
		let queue: QueueMode | undefined;
		let rows: Array<{ row: number; key: string; invoice: string; amount: string }>;

		beforeAll(async () => {
			n8n = ensureN8n(major);
			userFolder = await prepareUserFolder(n8n, 'queue-crash', packPackages(path.join(CACHE, 'pack-queue-crash'), { build: false }));
			sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
			await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
			sandbox.kantata.state.addWorkspace({ id: PROJECT, title: 'Queue crash' });
			rows = Array.from({ length: ROWS }, (_, row) => ({
				row,
				key: keyOfRow(row),
				invoice: sandbox.moneybird.state.addInvoice({ amount: '100.00', reference: `QC-INV-${row}` }),
				amount: `${row + 1}.50`,
			}));

			const loop = loopOverItems('Ten rows at a time', PER_LOOP);
			const row = (field: string) => `={{ $('${loop.name}').item.json.${field} }}`;
			const built = workflow(
				WORKFLOW,
				[
					[
						splitOut('Rows', 'body.rows'),
						loop,
						moneybird('Moneybird', {
							operation: 'create',
							administration: byId(ADM),
							invoice: byId(row('invoice')),
							paymentDate: '2025-03-01',
							amount: row('amount'),
							additionalFields: { transactionIdentifier: row('key') },
							options: { skipIfAlreadyRecorded: true },
						}),
						kantataOx('Kantata OX', {
							operation: 'create',
							project: byId(PROJECT),
							recordFor: 'amount',
							amount: row('amount'),
							paymentKey: row('key'),
							options: { skipIfAlreadyRecorded: true },
						}),
					],
				],
				webhook('Rows in', HOOK),
			);
			// The chain above runs off the loop's output 0; it belongs on output 1 ("loop"), and back into the loop.
			const toMoneybird = built.connections[loop.name].main[0];
			built.connections[loop.name].main = [[], toMoneybird];
			built.connections['Kantata OX'] = { main: [[{ node: loop.name, type: 'main', index: 0 }]] };
			await importWorkflows(n8n, userFolder, [built]);
			await activate(n8n, userFolder, WORKFLOW);
			queue = await startQueueMode(n8n, userFolder, { workers: 2, concurrency: 2, env: QUEUE_TIMING });
			await waitForWebhook(queue, HOOK);
		});

		afterAll(async () => {
			await queue?.stop();
			await sandbox?.stop();
		});

		const moneybirdRecorded = () => rows.filter((r) => sandbox.moneybird.state.paymentsOf(r.invoice).length > 0).length;
		const kantataPayments = () =>
			[...sandbox.kantata.state.rows.values()]
				.filter((r) => r.payment.workspace_id === PROJECT)
				.sort((a, b) => a.num - b.num)
				.map((r) => r.payment);
		const call = async (signal?: AbortSignal) => {
			const answer = await fetch(`http://127.0.0.1:${queue!.port}/webhook/${HOOK}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ rows: rows.map(({ row, key, invoice, amount }) => ({ row, key, invoice, amount })) }),
				signal,
			});
			return { status: answer.status, body: await answer.text() };
		};
		const startedOn = (worker: QueueMode['workers'][number]) =>
			[...worker.output().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]);

		it(`SIGKILL to the worker at a third of ${ROWS} rows; the rows sent again run on the other worker: each row recorded once in Moneybird and in Kantata OX`, async () => {
			const { kantata, moneybird: mb } = sandbox;
			const [one, two] = queue!.workers;

			// The first call: its execution starts on one worker, which is killed once both services hold a third.
			kantata.server.latencyMs = LATENCY_MS;
			mb.server.latencyMs = LATENCY_MS;
			const aborted = new AbortController();
			const firstCall = call(aborted.signal).catch((error: Error) => ({ status: 0, body: error.message }));
			let killedId: string;
			let killed: typeof one;
			try {
				await waitFor('a worker to start the execution', () => startedOn(one).length + startedOn(two).length > 0, 60_000, queue!.output);
				killed = startedOn(one).length ? one : two;
				killedId = startedOn(killed)[0];
				await waitFor(
					'a third of the rows recorded in both services',
					() => moneybirdRecorded() >= ROWS / 3 && kantataPayments().length >= ROWS / 3,
					120_000,
					queue!.output,
				);
				killed.kill();
				await killed.stop();
				// A request already on its way when the worker died is still answered (and recorded) by the sandbox.
				await new Promise((resolve) => setTimeout(resolve, 1000));
			} finally {
				kantata.server.latencyMs = 0;
				mb.server.latencyMs = 0;
			}
			const recordedAtKill = { moneybird: moneybirdRecorded(), kantata: kantataPayments().length };
			const mbRecordedBefore = rows.filter((r) => mb.state.paymentsOf(r.invoice).length > 0).map((r) => r.row);
			const kantataKeysBefore = kantataPayments().map((p) => keyTagOf(p.message));
			expect(recordedAtKill.moneybird).toBeLessThan(ROWS);
			expect(recordedAtKill.kantata).toBeLessThan(ROWS);

			// The same rows again: a new execution, on the worker still running.
			kantata.server.resetLog();
			mb.server.resetLog();
			const survivor = killed === one ? two : one;
			const secondStarted = Date.now();
			const second = await call();
			const secondSeconds = (Date.now() - secondStarted) / 1000;
			expect({ status: second.status, body: second.status === 200 ? '' : second.body }).toEqual({ status: 200, body: '' });
			const secondKantata = [...kantata.server.requests];
			const secondMoneybird = [...mb.server.requests];
			const secondId = startedOn(survivor).find((id) => id !== killedId);
			expect(secondId).toBeDefined();

			// The sandbox: every row once in each service, with its amount.
			expect(rows.map((r) => mb.state.paymentsOf(r.invoice).map((p) => [p.transaction_identifier, Number(p.price)]))).toEqual(
				rows.map((r) => [[r.key, Number(r.amount)]]),
			);
			expect(mb.state.findDuplicatePayments()).toEqual([]);
			expect(kantataPayments().map((p) => [keyTagOf(p.message), p.amount_in_cents])).toEqual(
				rows.map((r) => [r.key, Math.round(Number(r.amount) * 100)]),
			);
			// The second execution sent creates only for the rows not recorded before the kill.
			expect(secondMoneybird.filter(isMoneybirdCreate).map((r) => r.path)).toEqual(
				rows.filter((r) => !mbRecordedBefore.includes(r.row)).map((r) => `/api/v2/${ADM}/external_sales_invoices/${r.invoice}/payments.json`),
			);
			expect(secondKantata.filter(kantataCreate).map(sentKey)).toEqual(rows.map((r) => r.key).filter((key) => !kantataKeysBefore.includes(key)));

			// n8n's record of the second execution: a success, each row output once by each node, marked as found.
			const executions = storedExecutions(n8n, userFolder, WORKFLOW);
			const secondRun = executions.find((e) => e.id === secondId)!;
			expect(secondRun.status).toBe('success');
			for (const [node, before] of [
				['Moneybird', (r: (typeof rows)[number]) => mbRecordedBefore.includes(r.row)],
				['Kantata OX', (r: (typeof rows)[number]) => kantataKeysBefore.includes(r.key)],
			] as const) {
				const items = allOutputs(secondRun, node);
				expect(items.filter((item) => item.error ?? item.json.error)).toEqual([]);
				expect(items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map(before));
			}

			// What n8n does with the killed execution: waited for (Bull's lock expires, the stalled-job check runs), and
			// printed. The rows must still be recorded once each afterwards.
			const creates = () => mb.server.requests.filter(isMoneybirdCreate).length + kantata.server.requests.filter(kantataCreate).length;
			const createsBySecond = creates();
			const statuses = () => new Map(storedExecutions(n8n, userFolder, WORKFLOW).map((e) => [e.id, e.status]));
			const unfinished = new Set(['new', 'running']);
			let settled = statuses();
			const deadline = Date.now() + SETTLE_MS;
			while ([...settled.values()].some((status) => unfinished.has(status)) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 2000));
				settled = statuses();
			}
			const firstAnswer = await Promise.race([firstCall, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000))]);
			aborted.abort();
			const restartedOn = startedOn(survivor).includes(killedId) ? survivor.name : 'none';
			const killedRun = storedExecutions(n8n, userFolder, WORKFLOW).find((e) => e.id === killedId);
			const killedError = killedRun?.data.resultData.error;
			console.log(
				`queue mode, n8n ${n8n.version}: worker killed at ${recordedAtKill.moneybird}/${ROWS} Moneybird and ${recordedAtKill.kantata}/${ROWS} Kantata OX rows; ` +
					`killed execution ${killedId}: status ${settled.get(killedId)}` +
					`${killedError ? ` (error: ${killedError.message})` : ''}, started again on ${restartedOn}` +
					` (creates after the second execution: ${creates() - createsBySecond}); ` +
					`its webhook call answered ${firstAnswer ? `${firstAnswer.status} ${summary(firstAnswer.body)}` : 'nothing yet'}; ` +
					`second execution ${secondId} on ${survivor.name}, answered in ${secondSeconds.toFixed(1)} s: ${secondMoneybird.filter(isMoneybirdCreate).length} Moneybird and ${secondKantata.filter(kantataCreate).length} Kantata OX creates`,
			);
			// The same on both majors: n8n settled the killed execution, and nothing was recorded after the second one.
			expect(unfinished.has(String(settled.get(killedId)))).toBe(false);
			expect(creates()).toBe(createsBySecond);
			expect(rows.map((r) => mb.state.paymentsOf(r.invoice).length)).toEqual(rows.map(() => 1));
			expect(kantataPayments().map((p) => keyTagOf(p.message))).toEqual(rows.map((r) => r.key));
		});
	});
}

/** A webhook answer in short: the items' count and how many were found already recorded, or the text. */
function summary(body: string): string {
	try {
		const items = JSON.parse(body) as Array<Record<string, unknown>>;
		if (Array.isArray(items)) return `${items.length} items, ${items.filter((item) => item.alreadyRecorded === true).length} alreadyRecorded`;
	} catch {
		// Not JSON: the text itself.
	}
	return body.slice(0, 200);
}

/** Every item a node output over all its runs (Loop Over Items runs it once per batch), in order. */
function allOutputs(execution: StoredExecution, node: string): StoredItem[] {
	const runs = execution.data.resultData.runData[node] ?? [];
	return runs.flatMap((run) => run.data?.main[0] ?? []);
}
