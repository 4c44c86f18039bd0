/**
 * Issue 22 in a real n8n, the same for every major: the tool variants n8n derives from the two action nodes
 * (`<type>Tool`), called through n8n's Tool Executor (`@n8n/n8n-nodes-langchain.toolExecutor`, the node n8n
 * uses to run a tool node on its own) with `n8n execute`, as an agent repeats a call. With no option set, a
 * call repeated in another execution records nothing; another transaction identifier / Payment Key records a
 * second payment; a refused call is the tool's answer. Asserted on what the sandbox APIs recorded AND the runs
 * n8n stored.
 */
import { nodeNameToToolName } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS } from '../../scripts/n8nImports';
import type { N8nMajor } from '../../scripts/n8nLocal';
import { freePort, startN8n } from '../../scripts/n8nLocal';
import { ADM, kantataRecorded, paymentsPath } from './scenarioHelpers';
import { activate, realN8nFixture, watchProcess } from './realN8n';
import { connectMcp, mcpServer } from './toolMcp';
import type { StoredExecution } from './storedRuns';
import { outputOf } from './storedRuns';
import { byId, node, workflow } from './workflowBuilders';
import type { WorkflowJson, WorkflowNode } from './workflowBuilders';
import { nodeType } from '../harness/packages';

const fromAI = (key: string, description: string) => `={{ $fromAI('${key}', '${description}', 'string') }}`;

const moneybirdTool = (): WorkflowNode => ({
	...node('Record payment in Moneybird', nodeType('moneybirdTool'), 1, {
		authentication: 'accessToken',
		resource: 'externalSalesInvoicePayment',
		operation: 'create',
		administration: byId(ADM),
		invoice: byId(fromAI('invoice_id', 'Moneybird ID of the external sales invoice, as text')),
		paymentDate: fromAI('payment_date', 'Date paid, as YYYY-MM-DD'),
		amount: fromAI('amount', 'Amount paid, as decimal text, e.g. 25.00'),
		additionalFields: { transactionIdentifier: fromAI('transaction_identifier', 'Bank transaction ID, as text') },
	}),
	position: [240, 200],
	credentials: { moneybirdApi: SANDBOX_CREDENTIALS.moneybirdApi },
});

const kantataTool = (): WorkflowNode => ({
	...node('Record payment in Kantata OX', nodeType('kantataOxTool'), 1, {
		authentication: 'accessToken',
		resource: 'externalPayment',
		operation: 'create',
		project: byId(fromAI('project_id', 'Kantata OX project ID, as text')),
		recordFor: 'amount',
		amount: fromAI('amount', 'Amount paid, as decimal text, e.g. 10.50'),
		message: 'tool-executor',
		paymentKey: fromAI('payment_key', 'Bank transaction ID, as text'),
	}),
	position: [240, 200],
	credentials: { kantataOxApi: SANDBOX_CREDENTIALS.kantataOxApi },
});

const kantataDeleteTool = (): WorkflowNode => ({
	...node('Delete payment in Kantata OX', nodeType('kantataOxTool'), 1, {
		authentication: 'accessToken',
		resource: 'externalPayment',
		operation: 'delete',
		paymentId: fromAI('payment_id', 'Kantata OX payment ID, as text'),
	}),
	position: [240, 200],
	credentials: { kantataOxApi: SANDBOX_CREDENTIALS.kantataOxApi },
});

/**
 * Start → Tool Executor with the tool's arguments, the tool node on its Tool input, as n8n runs a tool node on its
 * own. n8n 1.x passes its query to the tool as it is; 2.x looks the tool's arguments up under the tool's name.
 */
function throughToolExecutor(major: N8nMajor, id: string, tool: WorkflowNode, args: Record<string, unknown>): WorkflowJson {
	const query = major === 1 ? args : { [nodeNameToToolName(tool.name)]: args };
	const executor: WorkflowNode = {
		...node('Tool Executor', '@n8n/n8n-nodes-langchain.toolExecutor', 1, { query: JSON.stringify(query), toolName: '' }),
		position: [240, 0],
	};
	const built = workflow(id, [[executor]]);
	built.nodes.push(tool);
	(built.connections as Record<string, unknown>)[tool.name] = { ai_tool: [[{ node: executor.name, type: 'ai_tool', index: 0 }]] };
	return built;
}

/** A tool's answer as text (JSON of its items, possibly quoted once more): its first item. */
function firstItem(text: string): Record<string, unknown> {
	let parsed = JSON.parse(text) as unknown;
	if (typeof parsed === 'string') parsed = JSON.parse(parsed) as unknown;
	return (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
}

/** What the tool answered, as the Tool Executor output it (the LangChain tool's text, or an object). */
function answerOf(execution: StoredExecution): Record<string, unknown> {
	const [item] = outputOf(execution, 'Tool Executor');
	const json = item.json as unknown;
	const text = typeof json === 'string' ? json : JSON.stringify(json);
	const parsed = JSON.parse(text.startsWith('[') || text.startsWith('{') ? text : JSON.stringify(text)) as unknown;
	return (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
}

export function toolScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'tools');
	let invoice = '';
	const mbArgs = { payment_date: '2025-03-01', amount: '25.00' };
	const mbSame = register('toolMbSame', (sandbox) => {
		invoice = sandbox.moneybird.state.addInvoice({ amount: '100.00', reference: 'TOOL-1' });
		return throughToolExecutor(major, 'toolMbSame', moneybirdTool(), { invoice_id: invoice, ...mbArgs, transaction_identifier: 'AG-1' });
	});
	const mbOther = register('toolMbOther', () =>
		throughToolExecutor(major, 'toolMbOther', moneybirdTool(), { invoice_id: invoice, ...mbArgs, transaction_identifier: 'AG-2' }),
	);
	const mbBad = register('toolMbBad', () =>
		throughToolExecutor(major, 'toolMbBad', moneybirdTool(), { invoice_id: invoice, ...mbArgs, amount: '25.005', transaction_identifier: 'AG-3' }),
	);
	const koArgs = { project_id: '101', amount: '10.50' };
	const koSame = register('toolKxSame', () => throughToolExecutor(major, 'toolKxSame', kantataTool(), { ...koArgs, payment_key: 'TE-1' }));
	const koOther = register('toolKxOther', () => throughToolExecutor(major, 'toolKxOther', kantataTool(), { ...koArgs, payment_key: 'TE-2' }));

	const koUnknown = register('toolKxUnknown', () => throughToolExecutor(major, 'toolKxUnknown', kantataDeleteTool(), { payment_id: '999999' }));

	const mcpPath = `payment-tools-${major}`;
	const mcp = register('toolMcp', () => mcpServer('toolMcp', mcpPath, [moneybirdTool(), kantataTool()]));

	const succeeded = (execution: StoredExecution) => {
		expect(execution.data.resultData.error).toBeUndefined();
		expect(execution.status).toBe('success');
	};

	describe(`n8n ${major}.x: the tool variants through the Tool Executor, with no option set`, () => {
		it('Moneybird: the same call twice records once; another transaction identifier records a second payment', async () => {
			const { moneybird } = real().sandbox;
			const first = await real().execute(mbSame);
			const second = await real().execute(mbSame).catch(() => undefined);
			// `execute` reads the one stored execution: the second run of a workflow is read from the list.
			const runs = real().executions(mbSame);
			const third = await real().execute(mbOther);

			expect(second).toBeUndefined();
			expect(runs).toHaveLength(2);
			runs.forEach(succeeded);
			succeeded(third.execution);
			const payments = moneybird.state.paymentsOf(invoice);
			expect(payments.map((payment) => payment.transaction_identifier)).toEqual(['AG-1', 'AG-2']);
			expect(moneybird.server.requests.filter((r) => r.method === 'POST' && r.path === paymentsPath(invoice))).toHaveLength(2);
			expect(answerOf(first.execution)).toMatchObject({ id: String(payments[0].id), alreadyRecorded: false });
			expect(answerOf(runs[1])).toMatchObject({ id: String(payments[0].id), alreadyRecorded: true });
			expect(answerOf(third.execution)).toMatchObject({ id: String(payments[1].id), alreadyRecorded: false });
		});

		it('Moneybird: a refused call is the answer the agent reads, and nothing is sent', async () => {
			const { moneybird } = real().sandbox;
			moneybird.server.resetLog();

			const { execution } = await real().execute(mbBad);

			succeeded(execution);
			expect(answerOf(execution)).toMatchObject({
				error: expect.stringMatching(/^Invalid Amount: "25\.005" /),
				hint: 'Nothing was sent. Correct "Amount" and run it again.',
			});
			expect(moneybird.server.requests).toEqual([]);
		});

		it('Kantata OX: the same Payment Key twice records once; another key records a second payment', async () => {
			const { sandbox } = real();
			await real().execute(koSame);
			await real()
				.execute(koSame)
				.catch(() => undefined);
			const runs = real().executions(koSame);
			const third = await real().execute(koOther);

			expect(runs).toHaveLength(2);
			runs.forEach(succeeded);
			succeeded(third.execution);
			const payments = kantataRecorded(sandbox, 'tool-executor');
			expect(payments.map((payment) => payment.message)).toEqual(['tool-executor [n8n-key:TE-1]', 'tool-executor [n8n-key:TE-2]']);
			expect(runs.map((run) => answerOf(run).alreadyRecorded)).toEqual([false, true]);
			expect(answerOf(third.execution)).toMatchObject({ id: String(payments[1].id), alreadyRecorded: false });
		});

		it('Kantata OX: a delete of a payment that never existed answers that none was found, not that it was deleted', async () => {
			const { kantata } = real().sandbox;
			kantata.server.resetLog();

			const { execution } = await real().execute(koUnknown);

			succeeded(execution);
			expect(answerOf(execution)).toMatchObject({ error: 'No payment with ID 999999 was found, so nothing was deleted', httpCode: '404' });
			expect(answerOf(execution).deleted).toBeUndefined();
			expect(kantata.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v1/external_payments/999999.json']);
		});

		it('through the MCP Server Trigger in `n8n start`: each tool is described with what a repeat does; a repeated tools/call records once, another identifier or key a second payment', async () => {
			const { n8n, userFolder, sandbox } = real();
			const port = await freePort();
			await activate(n8n, userFolder, mcp);
			const running = watchProcess(await startN8n(n8n, userFolder, { port, stdio: 'pipe', env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } }));
			const answers: Array<{ text: string; isError?: boolean }> = [];
			let listed: Array<{ name: string; description?: string }> = [];
			try {
				const client = await connectMcp(`http://127.0.0.1:${port}/mcp/${mcpPath}`, 240_000, running.output);
				listed = await client.listTools();
				const pay = (transaction: string) =>
					client.callTool('Record_payment_in_Moneybird', { invoice_id: invoice, payment_date: '2025-03-02', amount: '10.00', transaction_identifier: transaction });
				const book = (key: string) => client.callTool('Record_payment_in_Kantata_OX', { project_id: '101', amount: '7.25', payment_key: key });
				for (const call of [() => pay('MCP-1'), () => pay('MCP-1'), () => pay('MCP-2'), () => book('MCP-K1'), () => book('MCP-K1'), () => book('MCP-K2')]) {
					answers.push(await call());
				}
			} finally {
				await running.stop();
			}
			expect(running.output()).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
			// The tools' Tool Description as prefilled (nodes/shared/toolCall.ts): what the agent must pass for a second payment.
			expect(listed.map((tool) => tool.name).sort()).toEqual(['Record_payment_in_Kantata_OX', 'Record_payment_in_Moneybird']);
			const told = Object.fromEntries(listed.map((tool) => [tool.name, tool.description]));
			expect(told.Record_payment_in_Moneybird).toMatch(
				/^Record a payment on an external sales invoice in Moneybird\. A repeated call with the same transaction identifier.* pass a different transaction identifier\.$/,
			);
			expect(told.Record_payment_in_Kantata_OX).toMatch(/^Record an external payment in Kantata OX\. A repeated call with the same payment key.* pass a payment key of its own\.$/);
			expect(answers.map((answer) => answer.isError ?? false)).toEqual([false, false, false, false, false, false]);
			const items = answers.map((answer) => firstItem(answer.text));
			expect(items.map((item) => item.alreadyRecorded)).toEqual([false, true, false, false, true, false]);
			const mcpPayments = sandbox.moneybird.state.paymentsOf(invoice).filter((payment) => String(payment.transaction_identifier).startsWith('MCP-'));
			expect(mcpPayments.map((payment) => payment.transaction_identifier)).toEqual(['MCP-1', 'MCP-2']);
			expect(items[1].id).toBe(String(mcpPayments[0].id));
			const keyed = kantataRecorded(sandbox, 'tool-executor').filter((payment) => String(payment.message).includes('MCP-K'));
			expect(keyed.map((payment) => payment.message)).toEqual(['tool-executor [n8n-key:MCP-K1]', 'tool-executor [n8n-key:MCP-K2]']);
			expect(items[4].id).toBe(String(keyed[0].id));
		});
	});
}
