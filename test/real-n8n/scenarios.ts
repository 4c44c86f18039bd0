/**
 * The real-n8n scenarios (issue 10, item 4), the same for every major: each asserts on what the sandbox APIs
 * received and recorded AND on the run data n8n stored for that execution. Checks share a workflow where that
 * saves an `n8n execute` start-up (each costs several seconds).
 */
import type { N8nMajor } from '../../scripts/n8nLocal';
import { requestsTo } from '../../sandbox/server';
import type { Fault, RecordedRequest, RequestMatcher } from '../../sandbox/server';
import { isoSeconds, kantataErrorBody } from '../../sandbox/kantata';
import { MONEYBIRD_SEED, moneybirdRateLimit } from '../../sandbox/moneybird';
import { realN8nFixture, waitFor } from './realN8n';
import type { StoredExecution } from './storedRuns';
import { outputOf, taskOf } from './storedRuns';
import { byId, kantataOx, kantataOxTrigger, moneybird, rowsOf, workflow } from './workflowBuilders';

const ADM = MONEYBIRD_SEED.administrations.main;
const LISTING = '/api/v1/external_payments.json';
const paymentsPath = (invoice: string) => `/api/v2/${ADM}/external_sales_invoices/${invoice}/payments.json`;
/** Kantata reads, told apart by the one payment each asks for (`Filters › IDs`). */
const listingOf = (id: string): RequestMatcher => (r) => r.method === 'GET' && r.path === LISTING && r.query.only === id;
const kantataCreate = (message: string): RequestMatcher => (r) =>
	r.method === 'POST' && r.path === LISTING && (r.body as { external_payment?: { message?: string } })?.external_payment?.message === message;

const tooMany = (headers: Record<string, string>): Fault => ({
	kind: 'status',
	status: 429,
	headers,
	body: kantataErrorBody({ type: 'system', message: 'Rate limit exceeded' }),
});
const gaps = (requests: RecordedRequest[]) => requests.slice(1).map((r, i) => r.receivedAt - requests[i].receivedAt);
const createAmount = (extra: Record<string, unknown>) => ({ operation: 'create', project: byId('101'), recordFor: 'amount', ...extra });
const moneybirdCreate = (invoice: string, extra: Record<string, unknown> = {}) => ({
	operation: 'create',
	administration: byId(ADM),
	invoice: byId(invoice),
	paymentDate: '2025-03-01',
	...extra,
	// Refuse Overpayment (on by default) reads each invoice once per run; its engine test is moneybird.overpayment.test.ts.
	options: { refuseOverpayment: false, ...(extra.options as Record<string, unknown> | undefined) },
});

/** 50 rows; rows 4, 9, 14, … (10 of them) have an amount with three decimals, which the node refuses. */
const BATCH = Array.from({ length: 50 }, (_, i) => ({ amount: i % 5 === 4 ? `${i}.123` : `${i + 1}.25` }));
const UNKNOWN_INVOICE = '458026357020099999';
const UNREADABLE_ROWS = [1, 2, 3].map((n) => ({ key: `UNREAD-${n}`, amount: `${n}.00` }));

export function realN8nScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major);

	describe(`n8n ${major}.x: faults waited out, retried, reconciled; a batch with bad rows (one execution)`, () => {
		let lostInvoice = '';
		const faults = register('faults', (sandbox) => {
			lostInvoice = sandbox.moneybird.state.addInvoice({ amount: '50.00', reference: 'LOST-1' });
			return workflow('faults', [
				[kantataOx('429 Retry-After', { operation: 'getAll', filters: { ids: '1' } })],
				[kantataOx('429 RateLimit-Reset', { operation: 'getAll', filters: { ids: '2' } })],
				[kantataOx('429 without a hint', { operation: 'getAll', filters: { ids: '3' } })],
				[kantataOx('503 on a read', { operation: 'getAll', filters: { ids: '4' } })],
				[moneybird('Create, answer lost', moneybirdCreate(lostInvoice, { amount: '50.00', additionalFields: { transactionIdentifier: 'LOST-1' } }))],
				[kantataOx('Create answered 503', createAmount({ amount: '12.50', message: 'create-503' }), { continueOnFail: true })],
				[
					...rowsOf('3 keyed rows', UNREADABLE_ROWS),
					kantataOx(
						'Create 3, the 2nd answered unreadably',
						createAmount({ amount: '={{ $json.amount }}', message: 'unreadable', paymentKey: '={{ $json.key }}', options: { skipIfAlreadyRecorded: true } }),
						{ retryOnFail: true },
					),
				],
				[
					...rowsOf('50 rows', BATCH),
					kantataOx('Create 50', createAmount({ amount: '={{ $json.amount }}', message: 'batch' }), { continueOnFail: true }),
				],
			]);
		});
		let execution: StoredExecution;
		let kantataRequests: RecordedRequest[];

		beforeAll(async () => {
			const { kantata, moneybird: mb } = real().sandbox;
			kantata.server.resetLog();
			mb.server.resetLog();
			kantata.server.injectFaults(listingOf('1'), tooMany({ 'Retry-After': '1' }));
			injectOnArrival(kantata.server, listingOf('2'), () => tooMany({ 'RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) }));
			kantata.server.injectFaults(listingOf('3'), tooMany({}), tooMany({}));
			kantata.server.injectFaults(listingOf('4'), { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Service Unavailable' }) });
			mb.server.injectFaults(requestsTo('POST', paymentsPath(lostInvoice)), { kind: 'resetAfterHandling' });
			kantata.server.injectFaults(kantataCreate('create-503'), { kind: 'status', status: 503, body: kantataErrorBody({ type: 'system', message: 'Unavailable' }) });
			// Recorded, but answered without the record: the issue 27 row that vanished from the output.
			kantata.server.injectFaults(kantataCreate('unreadable [n8n-key:UNREAD-2]'), { kind: 'answerAfterHandling', answer: { status: 200, body: { count: 1 } } });
			({ execution } = await real().execute(faults));
			kantataRequests = [...kantata.server.requests];
		});

		it('the run succeeded as a whole', () => {
			expect(execution.data.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
		});

		it.each([
			['429 Retry-After', '1', 2, 900],
			['429 RateLimit-Reset', '2', 2, 900],
			['429 without a hint', '3', 3, 450],
		])('%s: waited, then asked again and output the payment', (node, id, requests, minimumWaitMs) => {
			const sent = kantataRequests.filter(listingOf(id));
			expect(sent).toHaveLength(requests);
			// The wait the API asked for (or a back-off) happened between the tries, seen from the server's side.
			for (const gap of gaps(sent)) expect(gap).toBeGreaterThanOrEqual(minimumWaitMs);
			expect(outputOf(execution, node)).toEqual([expect.objectContaining({ json: expect.objectContaining({ id }), pairedItem: { item: 0 } })]);
			expect(taskOf(execution, node).error).toBeUndefined();
		});

		it('503 on a read: retried, the payment output', () => {
			expect(kantataRequests.filter(listingOf('4'))).toHaveLength(2);
			expect(outputOf(execution, '503 on a read').map((item) => item.json.id)).toEqual(['4']);
		});

		it('a Moneybird create whose answer was lost: found on the invoice, exactly one payment, output', () => {
			const { moneybird: mb } = real().sandbox;
			const recorded = mb.state.paymentsOf(lostInvoice);
			expect(recorded).toHaveLength(1);
			const trail = mb.server.requests.filter((r) => r.path.includes(lostInvoice)).map((r) => `${r.method} ${r.path}`);
			expect(trail).toEqual([`POST ${paymentsPath(lostInvoice)}`, `GET /api/v2/${ADM}/external_sales_invoices/${lostInvoice}.json`]);
			const output = outputOf(execution, 'Create, answer lost');
			expect(output).toHaveLength(1);
			expect(output[0].json.id).toBe(recorded[0].id);
			expect(output[0].error).toBeUndefined();
		});

		it('a keyed create recorded but answered {"count":1}: no row lost, each recorded once and output paired', () => {
			const keyOf = (message: unknown) => /\[n8n-key:(UNREAD-\d)\]$/.exec(String(message ?? ''))?.[1];
			const recorded = real()
				.sandbox.kantata.state.sortedBy('id')
				.map((entry) => entry.payment)
				.filter((payment) => keyOf(payment.message));
			expect(recorded.map((payment) => keyOf(payment.message))).toEqual(UNREADABLE_ROWS.map((row) => row.key));
			const output = outputOf(execution, 'Create 3, the 2nd answered unreadably');
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output.map((item) => item.json.id)).toEqual(recorded.map((payment) => payment.id));
			expect(output.map((item) => item.json.alreadyRecorded)).toEqual([false, false, false]);
		});

		it('a Kantata create answered 503: not sent again, the item failed saying so', () => {
			expect(kantataRequests.filter(kantataCreate('create-503'))).toHaveLength(1);
			const [item] = outputOf(execution, 'Create answered 503');
			expect(item.json.error).toMatch(/^Kantata OX may or may not have recorded this item: /);
			expect(item.json.message).toContain('so it was not sent again');
			expect(item.pairedItem).toEqual({ item: 0 });
		});

		it('50 rows with 10 bad: 50 outputs, each paired to its input; 40 sent, in order', () => {
			const output = outputOf(execution, 'Create 50');
			expect(output).toHaveLength(50);
			output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				if (index % 5 === 4) {
					expect(item.json.error).toMatch(new RegExp(`^Invalid Amount in row ${index + 1} \\(item ${index}\\): `));
				} else {
					expect(item.json.error).toBeUndefined();
					expect(item.json.amount_in_cents).toBe((index + 1) * 100 + 25);
				}
			});
			const sent = kantataRequests.filter(kantataCreate('batch'));
			const sentCents = sent.map((r) => (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents);
			expect(sentCents).toEqual(BATCH.flatMap((_, i) => (i % 5 === 4 ? [] : [(i + 1) * 100 + 25])));
		});
	});

	describe(`n8n ${major}.x: 100 Moneybird creates under a limit of 15 requests / 3 s`, () => {
		let invoices: string[] = [];
		const batch = register('rateLimited', (sandbox) => {
			invoices = Array.from({ length: 100 }, (_, i) => sandbox.moneybird.state.addInvoice({ amount: '10.00', reference: `RL-${i}` }));
			const rows = invoices.map((invoice, i) => ({ invoice, reference: `RL-${i}` }));
			return workflow('rateLimited', [
				[
					...rowsOf('100 rows', rows),
					moneybird(
						'Create 100',
						moneybirdCreate('={{ $json.invoice }}', { amount: '10.00', additionalFields: { transactionIdentifier: '={{ $json.reference }}' } }),
						{ continueOnFail: true },
					),
				],
			]);
		});
		let execution: StoredExecution;

		beforeAll(async () => {
			const { moneybird: mb } = real().sandbox;
			mb.server.resetLog();
			mb.server.rateLimit = moneybirdRateLimit(15, 3000);
			try {
				({ execution } = await real().execute(batch));
			} finally {
				mb.server.rateLimit = undefined;
			}
		});

		it('100 recorded, one on each invoice; none twice', () => {
			const { moneybird: mb } = real().sandbox;
			expect(invoices.map((invoice) => mb.state.paymentsOf(invoice).length)).toEqual(invoices.map(() => 1));
			expect(mb.state.findDuplicatePayments()).toEqual([]);
		});

		it('100 outputs, none failed, each paired to its row and holding its payment', () => {
			const { moneybird: mb } = real().sandbox;
			const output = outputOf(execution, 'Create 100');
			expect(output.filter((item) => item.error ?? item.json.error)).toEqual([]);
			expect(output.map((item) => item.pairedItem)).toEqual(invoices.map((_, item) => ({ item })));
			expect(output.map((item) => item.json.id)).toEqual(invoices.map((invoice) => mb.state.paymentsOf(invoice)[0].id));
			expect(execution.status).toBe('success');
		});
	});

	describe(`n8n ${major}.x: amounts and keys exactly as the row meant (issue 27; one execution)`, () => {
		/** Whole amounts with a thousands separator: under Auto each is refused, never read 1000 times too small. */
		const AMBIGUOUS = ['1,000', '2.500', '12,300'];
		const rows = (name: string, amounts: string[]) => rowsOf(name, amounts.map((amount) => ({ amount, key: 'REUSED-1' })));
		const format = (amountFormat: string) => ({ options: { amountFormat } });
		let invoice = '';
		const exact = register('exact', (sandbox) => {
			invoice = sandbox.moneybird.state.addInvoice({ amount: '20000.00', reference: 'EXACT-1' });
			sandbox.kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 1000, message: 'Earlier [n8n-key:REUSED-1]' });
			const onFail = { continueOnFail: true };
			const kantataAmount = (message: string, extra: Record<string, unknown> = {}) => createAmount({ amount: '={{ $json.amount }}', message, ...extra });
			const moneybirdAmount = (extra: Record<string, unknown> = {}) => moneybirdCreate(invoice, { amount: '={{ $json.amount }}', ...extra });
			return workflow('exact', [
				[...rows('Kantata rows, Auto', AMBIGUOUS), kantataOx('Kantata, Auto', kantataAmount('exact-auto'), onFail)],
				[...rows('Kantata rows, point', ['1,000', '12,300']), kantataOx('Kantata, Point Decimal', kantataAmount('exact-point', format('pointDecimal')))],
				[...rows('Kantata rows, comma', ['2.500']), kantataOx('Kantata, Comma Decimal', kantataAmount('exact-comma', format('commaDecimal')))],
				[...rows('Moneybird rows, Auto', AMBIGUOUS), moneybird('Moneybird, Auto', moneybirdAmount(), onFail)],
				[...rows('Moneybird rows, point', ['1,000', '12,300']), moneybird('Moneybird, Point Decimal', moneybirdAmount(format('pointDecimal')))],
				[...rows('Moneybird rows, comma', ['2.500']), moneybird('Moneybird, Comma Decimal', moneybirdAmount(format('commaDecimal')))],
				[
					...rows('Reused key rows', ['99.00']),
					kantataOx('Kantata, reused key', kantataAmount('exact-reused', { paymentKey: '={{ $json.key }}', options: { skipIfAlreadyRecorded: true } }), onFail),
				],
			]);
		});
		let execution: StoredExecution;
		const kantataCents = (message: string) =>
			real()
				.sandbox.kantata.server.requests.filter(kantataCreate(message))
				.map((r) => (r.body as { external_payment: { amount_in_cents: number } }).external_payment.amount_in_cents);
		const moneybirdPrices = () =>
			real()
				.sandbox.moneybird.server.requests.filter((r) => r.method === 'POST' && r.path === paymentsPath(invoice))
				.map((r) => (r.body as { payment: { price: string } }).payment.price);

		beforeAll(async () => {
			real().sandbox.kantata.server.resetLog();
			real().sandbox.moneybird.server.resetLog();
			({ execution } = await real().execute(exact));
		});

		it('"1,000", "2.500" and "12,300" are refused under Auto in both services, each naming its row; nothing sent for them', () => {
			for (const node of ['Kantata, Auto', 'Moneybird, Auto']) {
				const output = outputOf(execution, node);
				expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
				output.forEach((item, row) => {
					expect(item.json.error).toMatch(new RegExp(`^Invalid Amount in row ${row + 1} \\(item ${row}\\): "${AMBIGUOUS[row].replace('.', '\\.')}" `));
					expect(item.json.message).toContain('Correct "Amount" in that row');
				});
			}
			expect(kantataCents('exact-auto')).toEqual([]);
		});

		it('under the matching Amount Format they are 1000.00, 12300.00 and 2500.00, in both services', () => {
			expect(kantataCents('exact-point')).toEqual([100000, 1230000]);
			expect(kantataCents('exact-comma')).toEqual([250000]);
			expect(moneybirdPrices().sort()).toEqual(['1000.00', '12300.00', '2500.00']);
		});

		it('a Payment Key recorded for 10.00, on a row of 99.00, is refused naming both; nothing sent', () => {
			const [item] = outputOf(execution, 'Kantata, reused key');
			expect(item.json.error).toMatch(/^Payment Key "REUSED-1" is already recorded for another payment: 10\.00 without an invoice \(payment \d+\) in project 101; row 1 \(item 0\) says 99\.00 without an invoice/);
			expect(kantataCents('Earlier [n8n-key:REUSED-1]')).toEqual([]);
			expect(real().sandbox.kantata.server.requests.filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes('REUSED-1'))).toEqual([]);
		});
	});

	describe(`n8n ${major}.x: errors as n8n stores them (no Continue On Fail)`, () => {
		const inputError = register('inputError', () =>
			workflow('inputError', [[kantataOx('Bad amount', createAmount({ amount: '12.345', message: 'input-error' }))]]),
		);
		const apiError = register('apiError', () =>
			workflow('apiError', [[moneybird('Unknown invoice', moneybirdCreate(UNKNOWN_INVOICE, { amount: '10.00' }))]]),
		);

		it('an input error: a NodeOperationError naming the value and item, nothing sent, no HTTP code', async () => {
			const { status, execution } = await real().execute(inputError);
			expect(status).not.toBe(0);
			expect(execution.status).toBe('error');
			const stored = execution.data.resultData.error;
			const shown = taskOf(execution, 'Bad amount').error;
			for (const error of [stored, shown]) {
				expect(error).toMatchObject({
					name: 'NodeOperationError',
					message: expect.stringMatching(/^Invalid Amount in row 1 \(item 0\): /),
					description: 'Nothing was sent for row 1 (item 0). Correct "Amount" in that row and run it again.',
				});
				expect(error?.httpCode ?? undefined).toBeUndefined();
			}
			expect(real().sandbox.kantata.server.requests.filter(kantataCreate('input-error'))).toEqual([]);
		});

		it("an API error: a NodeApiError with the API's words and status", async () => {
			const before = real().sandbox.moneybird.server.requests.length;
			const { status, execution } = await real().execute(apiError);
			expect(status).not.toBe(0);
			const message = `Moneybird has no external sales invoice ${UNKNOWN_INVOICE} in administration ${ADM} (row 1, item 0)`;
			for (const error of [execution.data.resultData.error, taskOf(execution, 'Unknown invoice').error]) {
				expect(error).toMatchObject({ name: 'NodeApiError', message, httpCode: '404' });
			}
			const sent = real().sandbox.moneybird.server.requests.slice(before);
			expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${paymentsPath(UNKNOWN_INVOICE)}`]);
		});
	});

	describe(`n8n ${major}.x: the Kantata OX Trigger active in \`n8n start\``, () => {
		// The shortest poll interval each major accepts: 3 s on 1.x, a minute on 2.x.
		const pollSeconds = major === 1 ? 3 : 60;
		const trigger = register('trigger', () =>
			workflow('trigger', [], kantataOxTrigger('New payment', pollSeconds < 60 ? pollSeconds : undefined)),
		);

		it('emits each new payment once across polls, two created in the same second included', async () => {
			const { kantata } = real().sandbox;
			const polls = () => kantata.server.requests.filter((r) => r.method === 'GET' && r.path === LISTING).length;
			kantata.server.resetLog();
			const n8n = await real().startActive(trigger);
			const pollsAfter = async (count: number) => {
				const target = polls() + count;
				await waitFor(`${count} more polls`, () => polls() >= target, (count + 1) * pollSeconds * 1000 + 30_000, n8n.output);
			};
			await waitFor('the activation poll', () => polls() >= 1, 240_000, n8n.output);

			const second = isoSeconds(Date.now());
			const first = kantata.state.addPayment({ workspace_id: '101', created_at: second, message: 'first' });
			const sameSecond = kantata.state.addPayment({ workspace_id: '101', created_at: second, message: 'same second' });
			await pollsAfter(major === 1 ? 2 : 1);
			// Recorded in the second the last poll already passed: the trigger keeps that second's IDs and asks again.
			const late = kantata.state.addPayment({ workspace_id: '102', created_at: second, message: 'late in that second' });
			const next = kantata.state.addPayment({ workspace_id: '103', message: 'next second' });
			await pollsAfter(major === 1 ? 3 : 1);
			await n8n.stop();
			// n8n reached for nothing outside this machine (a name lookup that failed would show here).
			expect(n8n.output()).not.toMatch(/ENOTFOUND|EAI_AGAIN/);

			const executions = real().executions(trigger);
			expect(executions.map((e) => [e.mode, e.status])).toEqual(executions.map(() => ['trigger', 'success']));
			const emitted = executions.flatMap((e) => outputOf(e, 'New payment').map((item) => item.json.id));
			expect([...emitted].sort()).toEqual([first.id, sameSecond.id, late.id, next.id].sort());
		});
	});
}

/**
 * Queues a fault whose content is made when the matching request arrives: a reset time must lie ahead of the
 * request, and `n8n execute` reaches it seconds after the test queued it.
 */
function injectOnArrival(
	server: { injectFaults(matches: RequestMatcher, ...faults: Fault[]): void },
	matches: RequestMatcher,
	make: () => Fault,
): void {
	const fault = {} as Fault;
	server.injectFaults((request) => matches(request) && Boolean(Object.assign(fault, make())), fault);
}
