/**
 * n8n's Retry On Fail setting around the package's nodes in a real n8n (issue 18), the same for every major:
 * n8n runs the whole node again (all its items) after a failed try. Each case is its own workflow, so a case
 * that fails stops only its own run. Asserted on what the sandbox APIs received and recorded AND the run data
 * n8n stored.
 */
import type { N8nMajor } from '../../scripts/n8nLocal';
import { kantataErrorBody } from '../../sandbox/kantata';
import { requestsTo } from '../../sandbox/server';
import type { RecordedRequest } from '../../sandbox/server';
import {
	createAmount,
	invoicePath,
	kantataCreates,
	kantataRecorded,
	messageOf,
	moneybirdCreate,
	paymentsPath,
	withSettings,
} from './scenarioHelpers';
import { realN8nFixture } from './realN8n';
import type { StoredExecution } from './storedRuns';
import { outputOf, taskOf } from './storedRuns';
import { kantataOx, moneybird, rowsOf, workflow } from './workflowBuilders';

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };
const PAYMENT = '5';
const paymentPath = `/api/v1/external_payments/${PAYMENT}.json`;
const pairing = (execution: StoredExecution, node: string) => outputOf(execution, node).map((item) => item.pairedItem);

export function retryOnFailScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'retry-on-fail');

	describe(`n8n ${major}.x: Retry On Fail (3 tries, 1 s apart)`, () => {
		const get = register('retryGet', () =>
			workflow('retryGet', [[withSettings(kantataOx('Get, 500 once', { operation: 'get', paymentId: PAYMENT }), { ...RETRY })]]),
		);
		const creates = register('retryKxCreates', () =>
			workflow('retryKxCreates', [
				[
					...rowsOf('Three rows', [0, 1, 2].map((row) => ({ row, amount: `${30 + row}.00` }))),
					withSettings(
						kantataOx('Create 3, the 2nd refused once', createAmount({ amount: '={{ $json.amount }}', message: '=retry-create {{ $json.row }}' })),
						{ ...RETRY },
					),
				],
			]),
		);
		let invoices: string[] = [];
		const mbCreates = register('retryMbCreates', (sandbox) => {
			invoices = [0, 1, 2].map((i) => sandbox.moneybird.state.addInvoice({ amount: '25.00', reference: `RETRY-${i}` }));
			return workflow('retryMbCreates', [
				[
					...rowsOf('Three invoices', invoices.map((invoice, row) => ({ invoice, reference: `RT-${row}` }))),
					withSettings(
						moneybird(
							'Moneybird create 3, the 2nd answered 500',
							moneybirdCreate('={{ $json.invoice }}', { amount: '25.00', additionalFields: { transactionIdentifier: '={{ $json.reference }}' } }),
						),
						{ ...RETRY },
					),
				],
			]);
		});

		const succeeded = (execution: StoredExecution, node: string) => {
			expect(execution.data.resultData.error).toBeUndefined();
			expect(taskOf(execution, node).error).toBeUndefined();
			expect(execution.status).toBe('success');
		};

		it('(a) a Kantata OX Get answered 500 once, then OK: two requests, the node succeeds with the payment', async () => {
			const { kantata } = real().sandbox;
			kantata.server.resetLog();
			kantata.server.injectFaults(requestsTo('GET', paymentPath), {
				kind: 'status',
				status: 500,
				body: kantataErrorBody({ type: 'system', message: 'Internal Server Error' }),
			});
			const { execution } = await real().execute(get);
			const sent = kantata.server.requests.filter(requestsTo('GET', paymentPath));
			expect(sent).toHaveLength(2);
			// n8n waited between the tries.
			expect(sent[1].receivedAt - sent[0].receivedAt).toBeGreaterThanOrEqual(900);
			succeeded(execution, 'Get, 500 once');
			expect(outputOf(execution, 'Get, 500 once')).toEqual([expect.objectContaining({ json: expect.objectContaining({ id: PAYMENT }), pairedItem: { item: 0 } })]);
		});

		it('(b) three Kantata OX creates, the 2nd refused once with 422: each recorded exactly once, the node succeeds', async () => {
			const { kantata } = real().sandbox;
			kantata.server.resetLog();
			kantata.server.injectFaults((r) => kantataCreates('retry-create 1')(r), {
				kind: 'status',
				status: 422,
				body: kantataErrorBody({ type: 'validation', message: 'Workspace is locked for a moment', field: 'workspace_id' }),
			});
			const { execution } = await real().execute(creates);
			const sent = kantata.server.requests.filter(kantataCreates('retry-create'));
			const recorded = kantataRecorded(real().sandbox, 'retry-create');
			// The second try sends only what the first did not complete: item 0 is not sent again.
			expect({ sent: sent.map(messageOf), recorded: recorded.map((p) => p.message) }).toEqual({
				sent: ['retry-create 0', 'retry-create 1', 'retry-create 1', 'retry-create 2'],
				recorded: ['retry-create 0', 'retry-create 1', 'retry-create 2'],
			});
			succeeded(execution, 'Create 3, the 2nd refused once');
			const output = outputOf(execution, 'Create 3, the 2nd refused once');
			expect(output.map((item) => item.json.id)).toEqual(recorded.map((p) => p.id));
			expect(pairing(execution, 'Create 3, the 2nd refused once')).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});

		it("(c) three Moneybird creates, the 2nd answered 500 and its lost-answer check too: each invoice paid exactly once, the node succeeds", async () => {
			const { moneybird: mb } = real().sandbox;
			mb.server.resetLog();
			const unavailable = { kind: 'status' as const, status: 500, body: { error: 'Internal server error' } };
			// The create is refused before Moneybird acts on it; the read that looks for it fails too, so the item
			// fails as "may or may not have been recorded", and n8n tries the node again.
			mb.server.injectFaults(requestsTo('POST', paymentsPath(invoices[1])), unavailable);
			mb.server.injectFaults(requestsTo('GET', invoicePath(invoices[1])), unavailable);
			const { execution } = await real().execute(mbCreates);
			const trail = (requests: RecordedRequest[]) => requests.filter((r) => r.path.includes(invoices[1])).map((r) => `${r.method} ${r.path}`);
			// The first try: the create, then the look for it (both 500); the second looks again before it sends.
			expect(trail(mb.server.requests)).toEqual([
				`POST ${paymentsPath(invoices[1])}`,
				`GET ${invoicePath(invoices[1])}`,
				`GET ${invoicePath(invoices[1])}`,
				`POST ${paymentsPath(invoices[1])}`,
			]);
			// The other rows were sent once each.
			for (const invoice of [invoices[0], invoices[2]]) {
				expect(mb.server.requests.filter(requestsTo('POST', paymentsPath(invoice)))).toHaveLength(1);
			}
			expect(invoices.map((invoice) => mb.state.paymentsOf(invoice).map((p) => p.transaction_identifier))).toEqual([['RT-0'], ['RT-1'], ['RT-2']]);
			expect(mb.state.findDuplicatePayments()).toEqual([]);
			succeeded(execution, 'Moneybird create 3, the 2nd answered 500');
			const output = outputOf(execution, 'Moneybird create 3, the 2nd answered 500');
			expect(output.map((item) => item.json.id)).toEqual(invoices.map((invoice) => mb.state.paymentsOf(invoice)[0].id));
			expect(pairing(execution, 'Moneybird create 3, the 2nd answered 500')).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});
	});

	describe(`n8n ${major}.x: Request Options > Max Rate Limit Wait bounds the wait for a window another request found spent`, () => {
		const WINDOW_S = 4;
		const NODE = 'Create 2, max wait 1 s';
		const bound = register('waitBound', () =>
			workflow('waitBound', [
				[
					...rowsOf('Two rows', [0, 1].map((row) => ({ row, amount: `${40 + row}.00` }))),
					kantataOx(NODE, {
						...createAmount({ amount: '={{ $json.amount }}', message: '=wait-bound {{ $json.row }}' }),
						requestOptions: { maxRateLimitWait: 1 },
					}),
				],
			]),
		);

		it(`the first answer says the window is spent for ${WINDOW_S} s: the second row fails at once, nothing sent for it`, async () => {
			const { kantata } = real().sandbox;
			kantata.server.resetLog();
			const original = kantata.server.handler;
			let answered = 0;
			kantata.server.handler = async (request) => {
				const answer = await original(request);
				if (answered++ > 0) return answer;
				return { ...answer, headers: { 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + WINDOW_S) } };
			};
			try {
				const { execution } = await real().execute(bound);
				expect(kantata.server.requests.filter(kantataCreates('wait-bound')).map(messageOf)).toEqual(['wait-bound 0']);
				expect(kantataRecorded(real().sandbox, 'wait-bound').map((p) => p.message)).toEqual(['wait-bound 0']);
				const task = taskOf(execution, NODE);
				expect(task.error?.message).toBe('Kantata OX rate-limited this request and it gave up after waiting 0 s in total (row 2, item 1)');
				expect(task.error?.description).toContain('An earlier answer said the rate-limit window is used up');
				// It did not wait the window out: the bound (1 s) held.
				expect(task.executionTime).toBeLessThan((WINDOW_S - 1) * 1000);
			} finally {
				kantata.server.handler = original;
			}
		});
	});
}
