/**
 * n8n's own node settings around the package's nodes in a real n8n (issue 18, items 1-4), the same for every
 * major: On Error (error output, regular output), Execute Once, Always Output Data, RoutingNode's Batching
 * request option, and a run killed part-way and started again (Moneybird, Skip If Already Recorded). Each check
 * asserts what the sandbox APIs received and recorded AND the run data n8n stored. The settings share one
 * workflow, so one `n8n execute` start-up.
 */
import { spawn } from 'node:child_process';

import type { N8nMajor } from '../../scripts/n8nLocal';
import { n8nCommand, n8nEnvironment } from '../../scripts/n8nLocal';
import type { RecordedRequest } from '../../sandbox/server';
import { realN8nFixture, waitFor, watchProcess } from './realN8n';
import type { StoredExecution } from './storedRuns';
import { outputOf, storedExecutions, taskOf } from './storedRuns';
import {
	ADM,
	connectOutput,
	createAmount,
	kantataCreates,
	kantataRecorded,
	LISTING,
	messageOf,
	moneybirdCreate,
	noOp,
	outputNumber,
	pairedIndex,
	paymentsPath,
	withSettings,
} from './scenarioHelpers';
import { kantataOx, moneybird, rowsOf, workflow } from './workflowBuilders';

/** 5 rows; rows 1 and 3 have an amount with three decimals, which the node refuses. */
const FIVE = ['10.50', '11.123', '12.50', '13.456', '14.50'].map((amount, row) => ({ amount, row }));
const BAD = new Set([1, 3]);
const cents = (amount: string) => Math.round(Number(amount) * 100);
const UNKNOWN_INVOICE = '458026357020099999';
const BATCH_INTERVAL = 500;
const CRASH_ROWS = 40;

export function nodeSettingsScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'node-settings');

	describe(`n8n ${major}.x: node settings around the nodes (one execution)`, () => {
		let mbInvoices: string[] = [];
		const settings = register('settings', (sandbox) => {
			mbInvoices = [1, 2].map((i) => sandbox.moneybird.state.addInvoice({ amount: '40.00', reference: `SET-${i}` }));
			const mbRows = [
				{ invoice: mbInvoices[0], reference: 'SET-A' },
				{ invoice: UNKNOWN_INVOICE, reference: 'SET-B' },
				{ invoice: mbInvoices[1], reference: 'SET-C' },
			];
			const built = workflow('settings', [
				[
					...rowsOf('Five rows (error output)', FIVE),
					withSettings(
						kantataOx('Kantata, error output', createAmount({ amount: '={{ $json.amount }}', message: '=error-output {{ $json.row }}' })),
						{ onError: 'continueErrorOutput' },
					),
					noOp('Kantata recorded'),
				],
				[
					...rowsOf('Moneybird rows', mbRows),
					withSettings(
						moneybird(
							'Moneybird, error output',
							moneybirdCreate('={{ $json.invoice }}', { amount: '10.00', additionalFields: { transactionIdentifier: '={{ $json.reference }}' } }),
						),
						{ onError: 'continueErrorOutput' },
					),
				],
				[
					...rowsOf('Five rows (regular output)', FIVE),
					kantataOx('Kantata, regular output', createAmount({ amount: '={{ $json.amount }}', message: '=regular-output {{ $json.row }}' }), {
						continueOnFail: true,
					}),
				],
				[
					...rowsOf('Three rows (execute once)', [0, 1, 2].map((row) => ({ row }))),
					kantataOx('Kantata, execute once', createAmount({ amount: '7.00', message: '=execute-once {{ $json.row }}' }), { executeOnce: true }),
				],
				[
					withSettings(kantataOx('Get Many, nothing found', { operation: 'getAll', filters: { ids: '987654' } }), { alwaysOutputData: true }),
					noOp('After nothing found'),
				],
				[
					...rowsOf('Six rows (batching)', [0, 1, 2, 3, 4, 5].map((row) => ({ row, amount: `${20 + row}.00` }))),
					kantataOx(
						'Kantata, batching',
						createAmount({
							amount: '={{ $json.amount }}',
							message: '=batching {{ $json.row }}',
							requestOptions: { batching: { batch: { batchSize: 2, batchInterval: BATCH_INTERVAL } } },
						}),
					),
				],
			]);
			connectOutput(built, 'Kantata, error output', 1, noOp('Kantata failed rows'));
			return connectOutput(built, 'Moneybird, error output', 1, noOp('Moneybird failed rows'));
		});
		let execution: StoredExecution;
		let kantataRequests: RecordedRequest[];
		let moneybirdRequests: RecordedRequest[];

		beforeAll(async () => {
			const { kantata, moneybird: mb } = real().sandbox;
			kantata.server.resetLog();
			mb.server.resetLog();
			({ execution } = await real().execute(settings));
			kantataRequests = [...kantata.server.requests];
			moneybirdRequests = [...mb.server.requests];
		});

		it('the run succeeded as a whole', () => {
			expect(execution.data.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
		});

		it('On Error: Continue (using error output), Kantata OX: 3 recorded; output 0 the 3 results paired to their rows, output 1 the 2 refused rows with their errors', () => {
			const goodRows = FIVE.filter((r) => !BAD.has(r.row));
			// The sandbox: the three good rows, in order, and nothing for the refused ones.
			expect(kantataRequests.filter(kantataCreates('error-output')).map(messageOf)).toEqual(goodRows.map((r) => `error-output ${r.row}`));
			const recorded = kantataRecorded(real().sandbox, 'error-output');
			expect(recorded.map((p) => [p.message, p.amount_in_cents])).toEqual(goodRows.map((r) => [`error-output ${r.row}`, cents(r.amount)]));

			const success = outputNumber(execution, 'Kantata, error output', 0);
			expect(success.map((item) => item.json.id)).toEqual(recorded.map((p) => p.id));
			expect(success.map(pairedIndex)).toEqual(goodRows.map((r) => r.row));
			expect(success.filter((item) => item.error ?? item.json.error)).toEqual([]);

			const failed = outputNumber(execution, 'Kantata, error output', 1);
			// Fields a following node can map: the input row as it was (n8n adds it), the whole message in `error`,
			// and in `message` the row, what identifies it and what to fix.
			expect(failed.map((item) => item.json)).toEqual(
				[...BAD].map((row) => ({
					...FIVE[row],
					error: expect.stringMatching(new RegExp(`^Invalid Amount in row ${row + 1} \\(item ${row}\\): `)),
					message: expect.stringMatching(
						new RegExp(`^Row ${row + 1} \\(item ${row}\\): project "101", amount "[^"]+"\\. Nothing was sent for row ${row + 1} \\(item ${row}\\)\\. Correct "Amount" in that row and run it again\\.$`),
					),
				})),
			);
			// Both outputs went on to the nodes connected to them.
			expect(outputOf(execution, 'Kantata recorded')).toHaveLength(3);
			expect(outputOf(execution, 'Kantata failed rows')).toHaveLength(2);
		});

		it('On Error: Continue (using error output), Moneybird: the refused row on output 1 with the API error, the others recorded on output 0', () => {
			const { moneybird: mb } = real().sandbox;
			const posts = moneybirdRequests.filter((r) => r.method === 'POST').map((r) => r.path);
			expect(posts).toEqual([paymentsPath(mbInvoices[0]), paymentsPath(UNKNOWN_INVOICE), paymentsPath(mbInvoices[1])]);
			const recorded = mbInvoices.map((invoice) => mb.state.paymentsOf(invoice));
			expect(recorded.map((payments) => payments.map((p) => p.transaction_identifier))).toEqual([['SET-A'], ['SET-C']]);

			const success = outputNumber(execution, 'Moneybird, error output', 0);
			expect(success.map((item) => item.json.id)).toEqual(recorded.map((payments) => payments[0].id));
			expect(success.map(pairedIndex)).toEqual([0, 2]);
			const failed = outputNumber(execution, 'Moneybird, error output', 1);
			expect(failed).toHaveLength(1);
			expect(failed[0].json).toMatchObject({
				error: `Moneybird has no external sales invoice ${UNKNOWN_INVOICE} in administration ${ADM} (row 2, item 1)`,
				message: expect.stringMatching(/^Row 2 \(item 1\): invoice "\d+", /),
			});
			expect(outputOf(execution, 'Moneybird failed rows')).toHaveLength(1);
		});

		// RoutingNode's own error items are not paired, and n8n splits the error output off before it pairs items
		// by position: the nodes output their failed items themselves, paired (nodes/shared/runQueue.ts).
		it('On Error: Continue (using error output): each error-output item is paired to its input row', () => {
			expect(outputNumber(execution, 'Kantata, error output', 1).map(pairedIndex)).toEqual([...BAD]);
			expect(outputNumber(execution, 'Moneybird, error output', 1).map(pairedIndex)).toEqual([1]);
		});

		it('On Error: Continue (regular output): 5 items in input order, 3 results and 2 errors', () => {
			const output = outputOf(execution, 'Kantata, regular output');
			expect(output.map(pairedIndex)).toEqual([0, 1, 2, 3, 4]);
			output.forEach((item, row) => {
				if (BAD.has(row)) {
					expect(item.json.error).toMatch(new RegExp(`^Invalid Amount in row ${row + 1} \\(item ${row}\\): `));
				} else {
					expect(item.json.error).toBeUndefined();
					expect(item.json).toMatchObject({ message: `regular-output ${row}`, amount_in_cents: cents(FIVE[row].amount) });
				}
			});
			expect(kantataRecorded(real().sandbox, 'regular-output').map((p) => p.message)).toEqual(['regular-output 0', 'regular-output 2', 'regular-output 4']);
		});

		it('Execute Once with 3 rows: exactly one create sent and recorded, one item paired to item 0', () => {
			expect(kantataRequests.filter(kantataCreates('execute-once')).map(messageOf)).toEqual(['execute-once 0']);
			const recorded = kantataRecorded(real().sandbox, 'execute-once');
			expect(recorded.map((p) => p.message)).toEqual(['execute-once 0']);
			const output = outputOf(execution, 'Kantata, execute once');
			expect(output).toHaveLength(1);
			expect(output[0].json.id).toBe(recorded[0].id);
			expect(pairedIndex(output[0])).toBe(0);
		});

		it('Always Output Data on a Get Many that finds nothing: one empty item, and the workflow goes on', () => {
			const reads = kantataRequests.filter((r) => r.method === 'GET' && r.path === LISTING && r.query.only === '987654');
			expect(reads).toHaveLength(1);
			const output = outputOf(execution, 'Get Many, nothing found');
			expect(output).toHaveLength(1);
			expect(output[0].json).toEqual({});
			expect(taskOf(execution, 'Get Many, nothing found').error).toBeUndefined();
			expect(outputOf(execution, 'After nothing found')).toEqual([expect.objectContaining({ json: {} })]);
		});

		it(`Batching (2 items per batch, ${BATCH_INTERVAL} ms): all 6 recorded once, in input order, the batches ${BATCH_INTERVAL} ms apart`, () => {
			const sent = kantataRequests.filter(kantataCreates('batching'));
			expect(sent.map(messageOf)).toEqual([0, 1, 2, 3, 4, 5].map((row) => `batching ${row}`));
			const recorded = kantataRecorded(real().sandbox, 'batching');
			expect(recorded.map((p) => [p.message, p.amount_in_cents])).toEqual([0, 1, 2, 3, 4, 5].map((row) => [`batching ${row}`, (20 + row) * 100]));
			// n8n's RoutingNode waits the interval before it hands over the next batch: seen from the server's side,
			// each batch's first request comes at least that long after the previous batch's first (less a little for
			// when each arrived after it was handed over).
			const firsts = [0, 2, 4].map((index) => sent[index].receivedAt);
			for (let batch = 1; batch < firsts.length; batch++) {
				expect(firsts[batch] - firsts[batch - 1]).toBeGreaterThanOrEqual(BATCH_INTERVAL - 50);
			}
			expect(sent[4].receivedAt - sent[0].receivedAt).toBeGreaterThanOrEqual(2 * BATCH_INTERVAL - 50);
			const output = outputOf(execution, 'Kantata, batching');
			expect(output.map((item) => item.json.id)).toEqual(recorded.map((p) => p.id));
			expect(output.map(pairedIndex)).toEqual([0, 1, 2, 3, 4, 5]);
		});
	});

	describe(`n8n ${major}.x: ${CRASH_ROWS} Moneybird creates (Skip If Already Recorded), n8n killed part-way, then run again`, () => {
		let invoices: string[] = [];
		const crash = register('crash', (sandbox) => {
			invoices = Array.from({ length: CRASH_ROWS }, (_, i) => sandbox.moneybird.state.addInvoice({ amount: '10.00', reference: `CRASH-${i}` }));
			return workflow('crash', [
				[
					...rowsOf(`${CRASH_ROWS} rows`, invoices.map((invoice, i) => ({ invoice, reference: `CR-${i}` }))),
					moneybird(
						'Record payments',
						moneybirdCreate('={{ $json.invoice }}', {
							amount: '10.00',
							additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
							options: { skipIfAlreadyRecorded: true },
						}),
					),
				],
			]);
		});

		it('SIGKILL at about a third recorded; the second run records the rest: 40 payments, none twice, each row output once', async () => {
			const { n8n, userFolder, sandbox } = real();
			const { moneybird: mb } = sandbox;
			const recordedCount = () => invoices.filter((invoice) => mb.state.paymentsOf(invoice).length > 0).length;
			mb.server.resetLog();
			// Each answer 150 ms late (as a remote API's round trip), so the run takes seconds and can be caught part-way.
			mb.server.latencyMs = 150;
			let recordedBeforeRerun: string[];
			try {
				// `n8n execute` in a process group of its own (2.x starts a task runner beside it): all of it is killed.
				const env = await n8nEnvironment(n8n, userFolder, { N8N_LOG_LEVEL: 'info' });
				const child = spawn(n8n.node, [n8n.cli, 'execute', `--id=${crash}`], { env, stdio: 'pipe', detached: true });
				const running = watchProcess(child);
				try {
					await waitFor('a third of the payments recorded', () => recordedCount() >= CRASH_ROWS / 3, 240_000, running.output);
				} finally {
					process.kill(-child.pid!, 'SIGKILL');
					await running.stop();
				}
				// A request already on its way when n8n died is still answered (and recorded) by the sandbox.
				await new Promise((resolve) => setTimeout(resolve, 1000));
				recordedBeforeRerun = invoices.filter((invoice) => mb.state.paymentsOf(invoice).length > 0);
				expect(recordedBeforeRerun.length).toBeGreaterThanOrEqual(CRASH_ROWS / 3);
				expect(recordedBeforeRerun.length).toBeLessThan(CRASH_ROWS);
			} finally {
				mb.server.latencyMs = 0;
			}
			const postsBefore = mb.server.requests.filter((r) => r.method === 'POST').length;

			const { status, output } = await n8nCommand(n8n, userFolder, ['execute', `--id=${crash}`]);
			expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });

			// The sandbox: every invoice holds exactly one payment, its row's; none twice.
			expect(invoices.map((invoice) => mb.state.paymentsOf(invoice).map((p) => p.transaction_identifier))).toEqual(
				invoices.map((_, i) => [`CR-${i}`]),
			);
			expect(mb.state.findDuplicatePayments()).toEqual([]);
			// The second run sent a create only for the rows not yet recorded.
			const secondRunPosts = mb.server.requests.filter((r) => r.method === 'POST').slice(postsBefore);
			const notYet = invoices.filter((invoice) => !recordedBeforeRerun.includes(invoice));
			expect(secondRunPosts.map((r) => r.path)).toEqual(notYet.map(paymentsPath));

			// The stored runs: the killed one never finished; the second succeeded with one item per row, in order,
			// the rows recorded before marked alreadyRecorded.
			const executions = storedExecutions(n8n, userFolder, crash);
			const last = executions[executions.length - 1];
			expect(executions.slice(0, -1).map((e) => e.status)).not.toContain('success');
			expect(last.status).toBe('success');
			const items = outputOf(last, 'Record payments');
			expect(items.map(pairedIndex)).toEqual(invoices.map((_, i) => i));
			expect(items.map((item) => item.json.id)).toEqual(invoices.map((invoice) => mb.state.paymentsOf(invoice)[0].id));
			expect(items.map((item) => item.json.alreadyRecorded)).toEqual(invoices.map((invoice) => recordedBeforeRerun.includes(invoice)));
			expect(items.filter((item) => item.error ?? item.json.error)).toEqual([]);
		});
	});
}
