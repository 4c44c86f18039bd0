/**
 * Issue 22: an AI agent repeats its calls, and a repeated call books nothing twice. The tool variants n8n
 * derives from the two action nodes, run as an agent runs them (test/harness/tools.ts), with no option set:
 * as a tool, Create skips a payment already recorded and Delete answers a payment already gone; a refused call
 * is the tool's answer, a message the agent can act on, on both engines.
 */
import type { IDataObject } from 'n8n-workflow';

import { nodeType } from './harness/packages';
import { ADM, byId, INV, kantataFixture, moneybirdFixture } from './fixtures';
import { runAgent } from './harness/tools';
import type { ToolCall } from './harness/tools';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';

const fromAI = (key: string, description: string) => `={{ $fromAI('${key}', '${description}', 'string') }}`;
const outputs = (answers: IDataObject[]) => answers.map((answer) => (answer.output as IDataObject[])[0]);
/**
 * The calls of one agent turn run one after another, the last one asked first (n8n's node execution stack), and
 * answer in the order asked: which of two equal calls recorded is the engine's choice, so they are compared sorted.
 */
const byFlag = (flag: string) => (items: IDataObject[]) => [...items].sort((a, b) => Number(a[flag]) - Number(b[flag]));
const recordedFirst = byFlag('alreadyRecorded');
const deletedFirst = byFlag('alreadyDeleted');

describe('Moneybird Tool, with no option set', () => {
	const fx = moneybirdFixture();
	const credentials = () => ({ moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: fx.api().server.url } });
	const tool = (operation: string, parameters: IDataObject) => ({
		name: `Moneybird ${operation}`,
		type: nodeType('moneybirdTool'),
		parameters: {
			authentication: 'accessToken',
			resource: 'externalSalesInvoicePayment',
			operation,
			administration: byId(ADM),
			invoice: byId(fromAI('invoice_id', 'Moneybird ID of the external sales invoice, as text')),
			...parameters,
		},
		credentials: { moneybirdApi: { id: 'moneybirdApi', name: 'Moneybird account' } },
	});
	const create = tool('create', {
		paymentDate: fromAI('payment_date', 'Date paid, as YYYY-MM-DD'),
		amount: fromAI('amount', 'Amount paid, as decimal text, e.g. 50.00'),
		additionalFields: { transactionIdentifier: fromAI('transaction_identifier', 'Bank transaction ID, as text') },
	});
	const remove = tool('delete', { paymentId: fromAI('payment_id', 'Moneybird ID of the payment, as text') });
	const pay = (args: IDataObject): ToolCall => ({
		tool: create.name,
		args: { invoice_id: INV, payment_date: '2025-03-01', amount: '50.00', transaction_identifier: 'PSP-1', ...args },
	});
	const posts = () => fx.api().server.requests.filter((r) => r.method === 'POST');

	it('records a call repeated in the same run and in the next run once; another identifier is a second payment', async () => {
		const sameRun = await runAgent(create, [pay({}), pay({})], credentials());
		const nextRun = await runAgent(create, [pay({ amount: '50,00' })], credentials());
		const another = await runAgent(create, [pay({ transaction_identifier: 'PSP-2' })], credentials());

		expect([sameRun.error, nextRun.error, another.error]).toEqual([undefined, undefined, undefined]);
		expect(posts()).toHaveLength(2);
		const [first, second] = fx.api().state.paymentsOf(INV);
		expect(second.transaction_identifier).toBe('PSP-2');
		expect(recordedFirst(outputs(sameRun.answers))).toEqual([
			{ ...first, alreadyRecorded: false },
			{ ...first, alreadyRecorded: true },
		]);
		expect(outputs(nextRun.answers)).toEqual([{ ...first, alreadyRecorded: true }]);
		expect(outputs(another.answers)).toEqual([{ ...second, alreadyRecorded: false }]);
	});

	it('without an identifier, the same date and amount is the same payment', async () => {
		const noIdentifier = pay({ transaction_identifier: '' });
		await runAgent(create, [noIdentifier, noIdentifier], credentials());
		expect(posts()).toHaveLength(1);
	});

	it('switched off by the user, the option is off for the tool too', async () => {
		const off = { ...create, parameters: { ...create.parameters, options: { skipIfAlreadyRecorded: false } } };
		await runAgent(off, [pay({}), pay({})], credentials());
		expect(posts()).toHaveLength(2);
	});

	it('answers a refused call with a message the agent can act on, and sends nothing', async () => {
		const { answers, error } = await runAgent(create, [pay({ amount: '50.005' })], credentials());

		expect(error).toBeUndefined();
		expect(outputs(answers)).toEqual([
			{
				error: expect.stringMatching(/^Invalid Amount: "50\.005" /),
				hint: 'Nothing was sent. Correct "Amount" and run it again.',
			},
		]);
		expect(fx.api().server.requests).toEqual([]);
	});

	it('answers an unknown invoice with what Moneybird said, not a failed run', async () => {
		const { answers, error } = await runAgent(create, [pay({ invoice_id: '458026357029999999' })], credentials());

		expect(error).toBeUndefined();
		expect(outputs(answers)[0]).toMatchObject({ error: expect.stringContaining('458026357029999999'), httpCode: '404' });
		expect(posts()).toHaveLength(0);
	});

	it('a repeated delete answers that the payment is already deleted', async () => {
		await runAgent(create, [pay({})], credentials());
		const [payment] = fx.api().state.paymentsOf(INV);
		const call = { tool: remove.name, args: { invoice_id: INV, payment_id: String(payment.id) } };

		const { answers, error } = await runAgent(remove, [call, call], credentials());

		expect(error).toBeUndefined();
		expect(deletedFirst(outputs(answers))).toEqual([
			{ id: String(payment.id), deleted: true, alreadyDeleted: false },
			{ id: String(payment.id), deleted: true, alreadyDeleted: true },
		]);
		expect(fx.api().state.paymentsOf(INV)).toEqual([]);
		expect(fx.api().server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
	});

	it('a delete of a payment that is not on the invoice says no such payment was found, never deleted', async () => {
		await runAgent(create, [pay({})], credentials());
		const call = { tool: remove.name, args: { invoice_id: INV, payment_id: '458026357039999999' } };

		const { answers, error } = await runAgent(remove, [call], credentials());

		expect(error).toBeUndefined();
		expect(outputs(answers)).toEqual([
			{
				error: 'No payment with ID 458026357039999999 was found, so nothing was deleted',
				hint: expect.stringContaining('Check the payment ID'),
				httpCode: '404',
			},
		]);
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
	});

	it('a payment deleted by another execution is not found by this one: it was not this call that deleted it', async () => {
		await runAgent(create, [pay({})], credentials());
		const [payment] = fx.api().state.paymentsOf(INV);
		const call = { tool: remove.name, args: { invoice_id: INV, payment_id: String(payment.id) } };
		await runAgent(remove, [call], credentials());

		const { answers } = await runAgent(remove, [call], credentials());

		expect(outputs(answers)[0]).toMatchObject({ error: `No payment with ID ${String(payment.id)} was found, so nothing was deleted` });
		expect(outputs(answers)[0].deleted).toBeUndefined();
	});

	it("a delete on an invoice that is not there stays the API's refusal", async () => {
		const call = { tool: remove.name, args: { invoice_id: '458026357029999999', payment_id: '458026357030000001' } };

		const { answers } = await runAgent(remove, [call], credentials());

		expect(outputs(answers)[0]).toMatchObject({ error: expect.any(String), httpCode: '404' });
		expect(outputs(answers)[0].alreadyDeleted).toBeUndefined();
	});
});

describe('Kantata OX Tool, with no option set', () => {
	const kantata = kantataFixture();
	const credentials = () => ({ kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: kantata.server.url } });
	const tool = (operation: string, parameters: IDataObject) => ({
		name: `Kantata ${operation}`,
		type: nodeType('kantataOxTool'),
		parameters: { authentication: 'accessToken', resource: 'externalPayment', operation, ...parameters },
		credentials: { kantataOxApi: { id: 'kantataOxApi', name: 'Kantata OX account' } },
	});
	const createParameters = {
		project: byId(fromAI('project_id', 'Kantata OX project ID, as text')),
		recordFor: 'amount',
		amount: fromAI('amount', 'Amount paid, as decimal text, e.g. 10.50'),
		message: 'Paid by bank',
	};
	const withKey = tool('create', { ...createParameters, paymentKey: fromAI('payment_key', 'Bank transaction ID, as text') });
	const withoutKey = tool('create', createParameters);
	const remove = tool('delete', { paymentId: fromAI('payment_id', 'Kantata OX payment ID, as text') });
	const posts = () => kantata.paymentRequests().filter((r) => r.method === 'POST');
	const payments = () => kantata.state.sortedBy('id').map((entry) => entry.payment);

	it('records a call repeated with the same Payment Key once; another key is a second payment', async () => {
		const call = (key: string): ToolCall => ({ tool: withKey.name, args: { project_id: '101', amount: '10.50', payment_key: key } });

		const sameRun = await runAgent(withKey, [call('BANK-1'), call('BANK-1')], credentials());
		const nextRun = await runAgent(withKey, [call('BANK-1')], credentials());
		const another = await runAgent(withKey, [call('BANK-2')], credentials());

		expect([sameRun.error, nextRun.error, another.error]).toEqual([undefined, undefined, undefined]);
		expect(posts()).toHaveLength(2);
		expect(payments().map((payment) => payment.message)).toEqual(['Paid by bank [n8n-key:BANK-1]', 'Paid by bank [n8n-key:BANK-2]']);
		const answers = [...recordedFirst(outputs(sameRun.answers)), ...outputs(nextRun.answers), ...outputs(another.answers)];
		expect(answers.map((o) => [o.id, o.alreadyRecorded])).toEqual([
			[payments()[0].id, false],
			[payments()[0].id, true],
			[payments()[0].id, true],
			[payments()[1].id, false],
		]);
	});

	it("without a Payment Key, the key is the amount and the day: a repeat the same day records nothing", async () => {
		const call = (amount: string): ToolCall => ({ tool: withoutKey.name, args: { project_id: '101', amount } });

		const { answers, error } = await runAgent(withoutKey, [call('10.50'), call('10,50'), call('12.00')], credentials());

		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(2);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
		expect(payments().map((payment) => payment.message).sort()).toEqual([
			`Paid by bank [n8n-key:agent-${today}-amount-10.50]`,
			`Paid by bank [n8n-key:agent-${today}-amount-12.00]`,
		]);
		const [tenFifty, again, twelve] = outputs(answers);
		expect(recordedFirst([tenFifty, again]).map((o) => o.alreadyRecorded)).toEqual([false, true]);
		expect(twelve.alreadyRecorded).toBe(false);
	});

	it('answers a refused call with a message the agent can act on, and sends nothing', async () => {
		const { answers, error } = await runAgent(withKey, [{ tool: withKey.name, args: { project_id: '101', amount: '-3', payment_key: 'B' } }], credentials());

		expect(error).toBeUndefined();
		expect(outputs(answers)).toEqual([{ error: expect.stringMatching(/^Invalid Amount: /), hint: 'Nothing was sent. Correct "Amount" and run it again.' }]);
		expect(kantata.server.requests).toEqual([]);
	});

	it('a repeated delete answers that the payment is already deleted', async () => {
		await runAgent(withKey, [{ tool: withKey.name, args: { project_id: '101', amount: '10.50', payment_key: 'BANK-9' } }], credentials());
		const id = String(payments()[0].id);
		const call = { tool: remove.name, args: { payment_id: id } };

		const { answers, error } = await runAgent(remove, [call, call], credentials());

		expect(error).toBeUndefined();
		expect(deletedFirst(outputs(answers))).toEqual([
			{ id, deleted: true, alreadyDeleted: false },
			{ id, deleted: true, alreadyDeleted: true },
		]);
		expect(payments()).toEqual([]);
	});

	it('a delete of a payment that never existed says no such payment was found, never deleted', async () => {
		const { answers, error } = await runAgent(remove, [{ tool: remove.name, args: { payment_id: '999999' } }], credentials());

		expect(error).toBeUndefined();
		expect(outputs(answers)).toEqual([
			{ error: 'No payment with ID 999999 was found, so nothing was deleted', hint: expect.stringContaining('Check the payment ID'), httpCode: '404' },
		]);
	});
});
