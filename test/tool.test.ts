/**
 * The AI Agent tool variants n8n derives from the two action nodes (`usableAsTool: true`), run as an agent runs
 * them: test/harness/tools.ts derives them as n8n's CLI does and holds the agent stand-in.
 */
import { nodeNameToToolName } from 'n8n-workflow';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { nodeType } from './harness/packages';
import { ADM, byId, INV, kantataFixture, moneybirdFixture } from './fixtures';
import { runAgent, toolVariant } from './harness/tools';
import { packageNodeTypes } from './harness/workflow';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';

describe('the tool variants n8n derives', () => {
	it.each([
		['kantataOx', 'Kantata OX'],
		['moneybird', 'Moneybird'],
	])('%s: the description is the node as a tool, which n8n-core turns into a LangChain tool', async (name, displayName) => {
		const base = (await packageNodeTypes())[nodeType(name)] as INodeType;
		const tool = toolVariant(base);

		expect(tool.description).toMatchObject({
			name: `${name}Tool`,
			displayName: `${displayName} Tool`,
			inputs: [],
			outputs: ['ai_tool'],
			credentials: base.description.credentials,
			codex: { categories: ['AI'], subcategories: { AI: ['Tools'], Tools: ['Other Tools'] } },
		});
		const names = tool.description.properties.map((property) => property.name);
		expect(names).toEqual(['descriptionType', 'toolDescription', ...base.description.properties.map((p) => p.name)]);
		expect(tool.description.properties[1].default).toBe(base.description.description);
		// Not a sub-node: the engine turns it into a tool with createNodeAsTool and runs it with RoutingNode.
		expect(tool.supplyData).toBeUndefined();
		expect(base.description.requestDefaults).toBeDefined();
	});
});

describe('Moneybird Tool', () => {
	const fx = moneybirdFixture();
	const toolNode = {
		name: 'Record payment in Moneybird',
		type: nodeType('moneybirdTool'),
		parameters: {
			authentication: 'accessToken',
			resource: 'externalSalesInvoicePayment',
			operation: 'create',
			administration: byId(ADM),
			invoice: byId("={{ $fromAI('invoice_id', 'Moneybird ID of the external sales invoice: up to 18 digits, as text', 'string') }}"),
			paymentDate: "={{ $fromAI('payment_date', 'Date the payment was made, as YYYY-MM-DD', 'string') }}",
			amount: "={{ $fromAI('amount', 'Amount paid, e.g. 121.00', 'string') }}",
			options: { skipIfAlreadyRecorded: true },
		},
		credentials: { moneybirdApi: { id: 'moneybirdApi', name: 'Moneybird account' } },
	};
	const credentials = () => ({ moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: fx.api().server.url } });

	it("loads as the agent's tool, named after the node, described by its operation, with the $fromAI arguments", async () => {
		const { view, error } = await runAgent(toolNode, [], credentials());

		expect(error).toBeUndefined();
		expect(view.tools).toEqual([
			{
				name: nodeNameToToolName(toolNode.name),
				// The operation's action and the node's name (n8n's makeDescription): what a repeated call does.
				description:
					'Record a payment on an external sales invoice once so a repeated call with the same transaction identifier or else the same date and amount returns the payment already recorded in Moneybird',
				arguments: {
					invoice_id: { type: 'ZodString', description: 'Moneybird ID of the external sales invoice: up to 18 digits, as text' },
					payment_date: { type: 'ZodString', description: 'Date the payment was made, as YYYY-MM-DD' },
					amount: { type: 'ZodString', description: 'Amount paid, e.g. 121.00' },
				},
			},
		]);
		expect(view.tools[0].name).toBe('Record_payment_in_Moneybird');
	});

	it('records the payment the agent asks for and gives the agent the payment, twice asked, once recorded', async () => {
		const call = { tool: toolNode.name, args: { invoice_id: INV, payment_date: '2025-03-01', amount: '121,00' } };

		const first = await runAgent(toolNode, [call], credentials());
		const second = await runAgent(toolNode, [call], credentials());

		expect(first.error).toBeUndefined();
		const posts = fx.api().server.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(posts[0].path).toBe(`/api/v2/${ADM}/external_sales_invoices/${INV}/payments.json`);
		expect(posts[0].rawBody).toBe('{"payment":{"payment_date":"2025-03-01","price":"121.00"}}');
		const [payment] = fx.api().state.paymentsOf(INV);
		expect(first.answers).toEqual([{ tool: toolNode.name, output: [{ ...payment, alreadyRecorded: false }] }]);
		expect(second.answers).toEqual([{ tool: toolNode.name, output: [{ ...payment, alreadyRecorded: true }] }]);
		// The tool's run shows the arguments it was given as its ai_tool input, as n8n's execution view does.
		const toolRun = first.run.data.resultData.runData[toolNode.name][0];
		expect(toolRun.inputOverride?.ai_tool?.[0]?.[0].json).toMatchObject(call.args);
	});

	it('runs as well when the agent calls the LangChain tool itself', async () => {
		const call = { tool: toolNode.name, args: { invoice_id: INV, payment_date: '2025-03-01', amount: '121.00' } };

		const { answers, error } = await runAgent(toolNode, [call], credentials(), 'langchain');

		expect(error).toBeUndefined();
		expect(answers).toEqual([{ tool: toolNode.name, output: [{ ...fx.api().state.paymentsOf(INV)[0], alreadyRecorded: false }] }]);
		expect(fx.api().server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/v2/${ADM}/external_sales_invoices/${INV}.json`,
			`POST /api/v2/${ADM}/external_sales_invoices/${INV}/payments.json`,
		]);
	});

	it('refuses an argument the agent got wrong before anything is sent, naming the parameter and the value', async () => {
		const call = { tool: toolNode.name, args: { invoice_id: INV, payment_date: '2025-02-30', amount: '121.00' } };
		const answer = {
			error: 'Invalid Payment Date: "2025-02-30" is not a real calendar date',
			hint: 'Nothing was sent. Correct "Payment Date" and run it again.',
		};

		// On both majors (n8n 1.x would stop the execution with a tool's error), the refusal is the tool's answer,
		// which the agent can act on; the execution goes on. So it is with the node's "On Error: Continue".
		for (const node of [toolNode, { ...toolNode, onError: 'continueRegularOutput' as const }]) {
			const { answers, error } = await runAgent(node, [call], credentials());
			expect(error).toBeUndefined();
			expect(answers).toEqual([{ tool: toolNode.name, output: [answer] }]);
		}
		expect(fx.api().server.requests).toEqual([]);
	});
});

describe('Kantata OX Tool', () => {
	const kantata = kantataFixture();
	const toolNode = {
		name: 'Kantata OX payments',
		type: nodeType('kantataOxTool'),
		parameters: {
			authentication: 'accessToken',
			resource: 'externalPayment',
			operation: 'getAll',
			limit: "={{ $fromAI('limit', 'How many payments to list, newest first', 'number') }}",
			filters: { createdAfter: "={{ $fromAI('created_after', 'Only payments created after this ISO 8601 date-time', 'string') }}" },
			options: { include: ['workspace'] },
		},
		credentials: { kantataOxApi: { id: 'kantataOxApi', name: 'Kantata OX account' } },
	};

	it('lists the payments the agent asks for, with their project', async () => {
		kantata.state.seedPayments(6, { startAt: '2025-03-01T10:00:00Z' });
		const call = { tool: toolNode.name, args: { limit: 2, created_after: '2025-03-01T10:00:01Z' } };

		const { answers, view, error } = await runAgent(toolNode, [call], {
			kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: kantata.server.url },
		});

		expect(error).toBeUndefined();
		expect(view.tools[0]).toMatchObject({
			name: 'Kantata_OX_payments',
			description: 'Get many external payments in Kantata OX',
			arguments: { limit: { type: 'ZodNumber' }, created_after: { type: 'ZodString' } },
		});
		expect(kantata.paymentRequests()).toHaveLength(1);
		expect(kantata.paymentRequests()[0].query).toMatchObject({
			limit: '2',
			offset: '0',
			created_after: '2025-03-01T10:00:01Z',
			include: 'workspace',
		});
		const output = answers[0].output as IDataObject[];
		expect(output.map((payment) => payment.id)).toEqual(['6', '5']);
		expect(output[0].workspace).toMatchObject({ id: expect.any(String), title: expect.any(String) });
	});
});
