/**
 * A run killed part-way and run again (issue 18, item 3), Kantata OX in one process, the same for every major:
 * 100 rows recorded with a Payment Key and Skip If Already Recorded, `n8n execute` killed with SIGKILL (its
 * process group) once about a third are recorded, then the same workflow run to its end. Asserted on what the
 * sandbox holds and received (each key once; creates only for the rows not recorded before; the project listed
 * once, a request per 200 payments) and on the run data n8n stored.
 */
import { spawn } from 'node:child_process';

import type { N8nMajor } from '../../scripts/n8nLocal';
import { n8nCommand, n8nEnvironment } from '../../scripts/n8nLocal';
import type { RecordedRequest } from '../../sandbox/server';
import type { RealN8n, Sandbox } from './realN8n';
import { realN8nFixture, waitFor, watchProcess } from './realN8n';
import type { StoredItem } from './storedRuns';
import { outputOf } from './storedRuns';
import { byId, kantataOx, rowsOf, workflow } from './workflowBuilders';

const LISTING = '/api/v1/external_payments.json';
/** A project of the scenario's own, so that the listing it counts holds only what the scenario put there. */
const PROJECT = '190';
const ROWS = 100;
/** Payments the project already holds: some with keys of another batch, some with none (the sandbox seeds no payments). */
const EARLIER = 170;
/** Kantata's page size for the listing (the API's maximum). */
const PAGE = 200;
/** Each answer this late during the run that is killed, so that it takes seconds and is caught part-way. */
const LATENCY_MS = 60;

const keyOfRow = (row: number) => `CRASH-${String(row).padStart(3, '0')}`;
const amountOfRow = (row: number) => `${row + 1}.25`;
const keyTagOf = (message: unknown) => /\[n8n-key:([^[\]]+)\]$/.exec(String(message ?? ''))?.[1];

/**
 * The project's listing requests (Skip If Already Recorded's), without the look after a run's creates for a
 * duplicate an overlapping run recorded, nor a lost create's search: those list only recent payments.
 */
const isListing = (r: RecordedRequest) => r.method === 'GET' && r.path === LISTING && r.query.workspace_id === PROJECT && !r.query.created_after;
const isCreate = (r: RecordedRequest) => r.method === 'POST' && r.path === LISTING;
const sentKey = (r: RecordedRequest) => keyTagOf((r.body as { external_payment?: { message?: string } })?.external_payment?.message);

const pairedIndex = (item: StoredItem) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : paired?.item;
};

/** The project's payments, oldest first. */
function projectPayments(sandbox: Sandbox) {
	return [...sandbox.kantata.state.rows.values()]
		.filter((row) => row.payment.workspace_id === PROJECT)
		.sort((a, b) => a.num - b.num)
		.map((row) => row.payment);
}

/** The project's payments that carry one of this batch's keys. */
const batchPayments = (sandbox: Sandbox) => projectPayments(sandbox).filter((p) => keyTagOf(p.message)?.startsWith('CRASH-'));

/**
 * `n8n execute --id` in a process group of its own (2.x starts a task runner beside it), killed as a whole with
 * SIGKILL once `until` holds; resolves when it has exited. Fails if the run ended before that.
 */
export async function executeKilledWhen(real: RealN8n, workflowId: string, what: string, until: () => boolean): Promise<void> {
	const { n8n, userFolder } = real;
	const env = await n8nEnvironment(n8n, userFolder, { N8N_LOG_LEVEL: 'info' });
	const child = spawn(n8n.node, [n8n.cli, 'execute', `--id=${workflowId}`], { env, stdio: 'pipe', detached: true });
	const running = watchProcess(child);
	let ended = false;
	child.on('exit', () => (ended = true));
	try {
		await waitFor(what, () => until() || ended, 240_000, running.output);
		if (ended) throw new Error(`n8n execute ended before ${what}:\n${running.output()}`);
	} finally {
		if (!ended) process.kill(-child.pid!, 'SIGKILL');
		await running.stop();
	}
}

export function crashScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'kantata-crash');
	const rows = Array.from({ length: ROWS }, (_, row) => ({ row, key: keyOfRow(row), amount: amountOfRow(row) }));

	const crash = register('kantataCrash', (sandbox) => {
		const { state } = sandbox.kantata;
		state.addWorkspace({ id: PROJECT, title: 'Crash and re-run' });
		for (let i = 0; i < EARLIER; i++) {
			state.addPayment({ workspace_id: PROJECT, amount_in_cents: 500, message: i % 2 ? `Earlier ${i} [n8n-key:EARLIER-${i}]` : `Earlier ${i}` });
		}
		return workflow('kantataCrash', [
			[
				...rowsOf(`${ROWS} rows`, rows),
				kantataOx('Record payments', {
					operation: 'create',
					project: byId(PROJECT),
					recordFor: 'amount',
					amount: '={{ $json.amount }}',
					message: '=Row {{ $json.row }}',
					paymentKey: '={{ $json.key }}',
					options: { skipIfAlreadyRecorded: true },
				}),
			],
		]);
	});

	describe(`n8n ${major}.x: ${ROWS} Kantata OX creates (Payment Key, Skip If Already Recorded), n8n killed part-way, then run again`, () => {
		let firstRun: RecordedRequest[];
		let secondRun: RecordedRequest[];
		let keysBeforeRerun: string[];
		let paymentsBeforeRerun: number;

		beforeAll(async () => {
			const { sandbox } = real();
			const { server } = sandbox.kantata;
			server.resetLog();
			server.latencyMs = LATENCY_MS;
			try {
				await executeKilledWhen(real(), crash, 'a third of the payments recorded', () => batchPayments(sandbox).length >= ROWS / 3);
				// A request already on its way when n8n died is still answered (and recorded) by the sandbox.
				await new Promise((resolve) => setTimeout(resolve, 1000));
			} finally {
				server.latencyMs = 0;
			}
			firstRun = [...server.requests];
			keysBeforeRerun = batchPayments(sandbox).map((p) => keyTagOf(p.message)!);
			paymentsBeforeRerun = projectPayments(sandbox).length;
			server.resetLog();
			const { status, output } = await n8nCommand(real().n8n, real().userFolder, ['execute', `--id=${crash}`]);
			if (status !== 0) throw new Error(`the second run failed:\n${output}`);
			secondRun = [...server.requests];
		});

		it('the killed run recorded about a third, in row order, after listing the project once', () => {
			expect(keysBeforeRerun.length).toBeGreaterThanOrEqual(ROWS / 3);
			expect(keysBeforeRerun.length).toBeLessThan(ROWS);
			expect(keysBeforeRerun).toEqual(rows.slice(0, keysBeforeRerun.length).map((r) => r.key));
			expect(firstRun.filter(isListing)).toHaveLength(Math.max(1, Math.ceil(EARLIER / PAGE)));
		});

		it(`the sandbox holds exactly ${ROWS} payments of the batch, each Payment Key once, with its row's amount`, () => {
			const payments = batchPayments(real().sandbox);
			expect(payments.map((p) => keyTagOf(p.message))).toEqual(rows.map((r) => r.key));
			expect(payments.map((p) => [p.message, p.amount_in_cents])).toEqual(
				rows.map((r) => [`Row ${r.row} [n8n-key:${r.key}]`, Math.round(Number(r.amount) * 100)]),
			);
			// The payments that were there before are untouched.
			expect(projectPayments(real().sandbox)).toHaveLength(EARLIER + ROWS);
		});

		it('the second run sent creates only for the rows not recorded before the kill, in row order', () => {
			const notYet = rows.filter((r) => !keysBeforeRerun.includes(r.key)).map((r) => r.key);
			expect(secondRun.filter(isCreate).map(sentKey)).toEqual(notYet);
		});

		it(`the second run listed the project's payments once: one request per ${PAGE} payments`, () => {
			const listings = secondRun.filter(isListing);
			// 170 earlier payments and the third recorded before the kill: more than one page.
			expect(paymentsBeforeRerun).toBeGreaterThan(PAGE);
			expect(listings).toHaveLength(Math.ceil(paymentsBeforeRerun / PAGE));
			expect(listings.map((r) => r.query.page)).toEqual(listings.map((_, i) => String(i + 1)));
			// Beside them, only the look after the run's creates, at its end, for a duplicate an overlapping run recorded.
			const others = secondRun.filter((r) => !isListing(r) && !isCreate(r));
			expect(others.map((r) => [r.method, Boolean(r.query.created_after)])).toEqual(others.map(() => ['GET', true]));
			expect(others.length).toBeGreaterThanOrEqual(1);
			expect(secondRun.indexOf(others[0])).toBeGreaterThan(secondRun.indexOf(secondRun.filter(isCreate).at(-1)!));
		});

		it('n8n stored the killed run unfinished and the second as a success, one item per row, alreadyRecorded for those recorded before', () => {
			const { sandbox } = real();
			const executions = real().executions(crash);
			expect(executions).toHaveLength(2);
			const [killed, second] = executions;
			// The process died without a word to the database: its execution stays as it was when it started.
			expect(killed.status).toBe('running');
			expect(second.status).toBe('success');
			const items = outputOf(second, 'Record payments');
			expect(items.map(pairedIndex)).toEqual(rows.map((r) => r.row));
			expect(items.filter((item) => item.error ?? item.json.error)).toEqual([]);
			expect(items.map((item) => item.json.id)).toEqual(batchPayments(sandbox).map((p) => p.id));
			expect(items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map((r) => keysBeforeRerun.includes(r.key)));
		});
	});
}
