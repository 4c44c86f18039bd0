/**
 * The AI Agent tool variants n8n derives from the two action nodes (`usableAsTool: true`), run as an agent runs
 * them: test/harness/tools.ts derives them as n8n's CLI does and holds the agent stand-in.
 */
import { NodeHelpers, nodeNameToToolName } from 'n8n-workflow';
import type { IDataObject, INode, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

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
		// The node has a Tool Description per operation of its own (shared/toolCall.ts), so n8n adds none.
		expect(tool.description.properties.map((property) => property.name)).toEqual(base.description.properties.map((p) => p.name));
		// Not a sub-node: the engine turns it into a tool with createNodeAsTool and runs it with RoutingNode.
		expect(tool.supplyData).toBeUndefined();
		expect(base.description.requestDefaults).toBeDefined();
	});

	it.each([
		['kantataOx', 'Kantata OX'],
		['moneybird', 'Moneybird'],
	])(
		"%s: a node added from the panel is named by its operation's short action; only the tool has a Tool Description, which says what a repeated call does",
		async (name, displayName) => {
			const base = (await packageNodeTypes())[nodeType(name)] as INodeType;
			const tool = toolVariant(base);
			// n8n's own helpers: the name the editor gives a node added from the panel, its parameters with their
			// defaults (as the editor and the engine fill them in), and the description an agent is given.
			const parametersOf = (description: INodeTypeDescription, resource: string, operation: string) =>
				NodeHelpers.getNodeParameters(description.properties, { resource, operation }, true, false, { typeVersion: 1 }, description) ?? {};
			const seen: string[] = [];
			for (const property of base.description.properties.filter((p) => p.name === 'operation')) {
				const [resource] = property.displayOptions?.show?.resource as string[];
				for (const option of property.options as INodePropertyOptions[]) {
					const operation = String(option.value);
					const action = String(option.action);
					expect(NodeHelpers.makeNodeName({ resource, operation }, base.description)).toBe(action);
					expect(action.length).toBeLessThanOrEqual(50);
					expect(NodeHelpers.makeNodeName({ resource, operation }, tool.description)).toBe(`${action} in ${displayName}`);
					expect(parametersOf(base.description, resource, operation)).not.toHaveProperty('toolDescription');
					const parameters = parametersOf(tool.description, resource, operation);
					const told = NodeHelpers.getToolDescriptionForNode({ parameters } as unknown as INode, tool);
					expect(told).toBe(parameters.toolDescription);
					expect(told.startsWith(`${action} in ${displayName}`)).toBe(true);
					if (operation === 'create') expect(told).toMatch(/A repeated call .* records nothing and returns the payment already recorded/);
					if (operation === 'delete') expect(told).toContain('alreadyDeleted: true');
					seen.push(`${resource}.${operation}`);
				}
			}
			expect(seen.length).toBe(name === 'moneybird' ? 5 : 4);
		},
	);
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
				// The operation's Tool Description as prefilled (shared/toolCall.ts): what a repeated call does.
				description:
					'Record a payment on an external sales invoice in Moneybird. A repeated call with the same transaction identifier, or without one for the same date and amount, records nothing and returns the payment already recorded (alreadyRecorded: true). For a second, separate payment of the same amount on the same day, pass a different transaction identifier.',
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
			// After the create, the invoice again: a duplicate another run recorded is found (overlappingRuns.test.ts).
			`GET /api/v2/${ADM}/external_sales_invoices/${INV}.json`,
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
