/**
 * The AI Agent tool variants n8n derives from the two action nodes (`usableAsTool: true`), run as an agent runs
 * them.
 *
 * How n8n derives a tool variant (n8n 1.123, the release this package's n8n-core/n8n-workflow pins come from;
 * later releases moved the code but do the same):
 * - At startup, `createAiTools` in the CLI copies the description of every `usableAsTool` node (community ones
 *   too) and passes it to `convertNodeToAiTool`, so the editor lists `<type>Tool`, e.g.
 *   `n8n-nodes-kantata-moneybird-payments.moneybirdTool` (packages/cli/src/load-nodes-and-credentials.ts; later
 *   packages/cli/src/tool-generation/ai-tools.ts).
 * - When a workflow runs, the CLI's `NodeTypes.getByNameAndVersion` (packages/cli/src/node-types.ts) answers a
 *   `…Tool` name that no package declares with the base node: it gives a declarative node its RoutingNode
 *   `execute` (`shouldAssignExecuteMethod`, packages/cli/src/utils.ts), refuses a node that is not
 *   `usableAsTool`, and wraps the node in prototype-linked copies whose description `convertNodeToAiTool`
 *   rewrites: name + `Tool`, display name + ` Tool`, no inputs, one `ai_tool` output, the "Tool Description"
 *   parameters (`descriptionType`, `toolDescription`) put before the node's own, and the AI codex.
 * Both live in n8n's CLI package, which this package does not install, so `toolVariant` below is a minimal
 * equivalent written for this test (not n8n's code). Everything after it is n8n-core itself: the agent stand-in
 * asks for its `ai_tool` connections, and n8n-core's `getInputConnectionData` builds each tool with
 * `createNodeAsTool` (name from the node's name, description from its resource and operation, argument schema
 * from its `$fromAI()` expressions). The agent then asks the engine to run a tool with arguments, as n8n's Tools
 * Agent does (an EngineRequest); WorkflowExecute runs the tool node with those arguments as its `ai_tool`
 * input, which RoutingNode reads, and hands the output back to the agent.
 */
import { NodeConnectionTypes, nodeNameToToolName } from 'n8n-workflow';
import type {
	EngineRequest,
	EngineResponse,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { PACKAGE_NAME } from './harness/engines';
import { n8nCoreMajor } from './harness/engineApi';
import { ADM, byId, INV, kantataFixture, moneybirdFixture } from './fixtures';
import { packageNodeTypes, runWorkflow } from './harness/workflow';
import type { TypeResolver, WorkflowRun } from './harness/workflow';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';

/** The "Tool Description" parameters n8n's conversion adds in front of a node's own. */
const TOOL_DESCRIPTION_PARAMETERS = (nodeDescription: string): INodeProperties[] => [
	{
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto', description: 'Automatically set based on resource and operation' },
			{ name: 'Set Manually', value: 'manual', description: 'Manually set the description' },
		],
		default: 'auto',
	},
	{
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: nodeDescription,
		required: true,
		typeOptions: { rows: 2 },
		displayOptions: { show: { descriptionType: ['manual'] } },
		description:
			'Explain to the LLM what this tool does, a good, specific description would allow LLMs to produce expected results much more often',
	},
];

/** The tool variant of a node type, as n8n's CLI derives it (see the comment at the top). */
function toolVariant(base: INodeType): INodeType {
	if (!base.description.usableAsTool) throw new Error(`${base.description.name} cannot be used as a tool`);
	const own = base.description.properties;
	const afterCallouts = own.reduce((last, property, index) => (property.type === 'callout' ? index + 1 : last), 0);
	const hasResourceOrOperation = own.some((property) => property.name === 'resource' || property.name === 'operation');
	const added = TOOL_DESCRIPTION_PARAMETERS(base.description.description);
	const toolParameters = own.some((property) => property.name === 'toolDescription')
		? []
		: hasResourceOrOperation
			? added
			: [{ ...added[1], displayOptions: undefined }];
	const description = Object.create(base.description) as INodeTypeDescription;
	Object.assign(description, {
		name: `${base.description.name}Tool`,
		displayName: `${base.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [...own.slice(0, afterCallouts), ...toolParameters, ...own.slice(afterCallouts)],
		codex: {
			categories: ['AI'],
			subcategories: { AI: ['Tools'], Tools: base.description.codex?.subcategories?.Tools ?? ['Other Tools'] },
			resources: base.description.codex?.resources ?? {},
		},
	});
	return Object.create(base, { description: { value: description } }) as INodeType;
}

/** `…Tool` names no package declares are fabricated from their base node, as the CLI's NodeTypes does. */
const resolveTools: TypeResolver = (name, _version, base) => {
	if (!name.endsWith('Tool')) return undefined;
	return toolVariant(base(name.slice(0, -'Tool'.length)));
};

/** One call the agent stand-in makes, as the model would choose it. */
interface ToolCall {
	tool: string;
	args: IDataObject;
}

/** What the agent stand-in saw of its tools (n8n-core's createNodeAsTool) and got back from them. */
interface AgentView {
	tools: Array<{ name: string; description: string; arguments: Record<string, { type: string; description?: string }> }>;
}

/**
 * Stands in for n8n's AI Agent: reads its connected tools through n8n-core, then has the scripted calls run and
 * outputs one item per answer (the tool's items, or its error). `engine`: asks the engine to run them (an
 * EngineRequest, as n8n's Tools Agent v3 does); `langchain`: calls the LangChain tool n8n-core built, in process
 * (as agents that run tools themselves do).
 */
function agentStandIn(calls: ToolCall[], view: AgentView, via: 'engine' | 'langchain'): INodeType {
	return {
		description: {
			displayName: 'Agent',
			name: 'testAgent',
			group: ['transform'],
			version: 1,
			description: 'Calls its tools as a model would',
			defaults: { name: 'Agent' },
			inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<INodeExecutionData[][] | EngineRequest> {
			// The engine passes an empty response on the first run; answers come back on the run it resumes.
			if (response?.actionResponses.length) {
				return [
					response.actionResponses.map(({ action, data }) => ({
						json: {
							tool: action.nodeName,
							output: (data.data?.[NodeConnectionTypes.AiTool]?.[0] ?? []).map((item) => item.json),
							error: data.error?.message,
						},
					})),
				];
			}
			const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
				name: string;
				description: string;
				schema: { shape: Record<string, { _def: { typeName: string }; description?: string }> };
				invoke(args: IDataObject): Promise<string>;
			}>;
			view.tools = tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				arguments: Object.fromEntries(
					Object.entries(tool.schema.shape).map(([key, schema]) => [
						key,
						{ type: schema._def.typeName, description: schema.description },
					]),
				),
			}));
			if (via === 'langchain') {
				const answers: INodeExecutionData[] = [];
				for (const call of calls) {
					const tool = tools.find((candidate) => candidate.name === nodeNameToToolName(call.tool));
					answers.push({ json: { tool: call.tool, output: JSON.parse(await tool!.invoke(call.args)) as IDataObject[] } });
				}
				return [answers];
			}
			if (!calls.length) return [[{ json: { tools: view.tools.length } }]];
			return {
				actions: calls.map((call, index) => ({
					actionType: 'ExecutionNodeAction' as const,
					nodeName: call.tool,
					input: call.args,
					type: NodeConnectionTypes.AiTool,
					id: `call_${index + 1}`,
					metadata: { itemIndex: 0 },
				})),
				metadata: {},
			};
		},
	};
}

/** Chat input → Agent, with one tool node of this package connected to the agent's Tools input. */
async function runAgent(
	tool: Omit<INode, 'id' | 'position' | 'typeVersion'>,
	calls: ToolCall[],
	credentials: Record<string, IDataObject>,
	via: 'engine' | 'langchain' = 'engine',
) {
	const view: AgentView = { tools: [] };
	const input: INodeType = {
		description: {
			displayName: 'Chat',
			name: 'testChat',
			group: ['trigger'],
			version: 1,
			description: 'A chat message',
			defaults: { name: 'Chat' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			return [[{ json: { chatInput: 'Record the payment' } }]];
		},
	};
	const run: WorkflowRun = await runWorkflow({
		workflow: {
			name: 'Agent with a tool',
			nodes: [
				{ id: 'chat', name: 'Chat', type: 'testChat', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'agent', name: 'Agent', type: 'testAgent', typeVersion: 1, position: [200, 0], parameters: {} },
				{ id: 'tool', typeVersion: 1, position: [200, 200], ...tool },
			],
			connections: {
				Chat: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
				[tool.name]: { ai_tool: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] },
			},
		},
		types: { testChat: input, testAgent: agentStandIn(calls, view, via) },
		resolve: resolveTools,
		credentials: credentials as never,
		start: 'Chat',
	});
	return { ...run, view, answers: run.output('Agent').map((item) => item.json) };
}

describe('the tool variants n8n derives', () => {
	it.each([
		['kantataOx', 'Kantata OX'],
		['moneybird', 'Moneybird'],
	])('%s: the description is the node as a tool, which n8n-core turns into a LangChain tool', async (name, displayName) => {
		const base = (await packageNodeTypes())[`${PACKAGE_NAME}.${name}`] as INodeType;
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
		type: `${PACKAGE_NAME}.moneybirdTool`,
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
				description: 'Create an external sales invoice payment in Moneybird',
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
		const refusal = 'Invalid Payment Date in item 0: "2025-02-30" is not a real calendar date';

		const stopped = await runAgent(toolNode, [call], credentials());
		if (n8nCoreMajor >= 2) {
			// n8n 2.x hands a failed tool's error to the agent as that tool's answer; the execution goes on.
			expect(stopped.error).toBeUndefined();
			expect(stopped.answers).toEqual([{ tool: toolNode.name, output: [{ error: refusal }], error: refusal }]);
		} else {
			// n8n 1.x stops the execution with that error.
			expect(stopped.error?.message).toBe(refusal);
		}

		// With the node's "On Error: Continue", the agent gets the refusal as the tool's answer and can correct it.
		const continued = await runAgent({ ...toolNode, onError: 'continueRegularOutput' }, [call], credentials());
		expect(continued.error).toBeUndefined();
		expect(continued.answers).toEqual([{ tool: toolNode.name, output: [{ error: refusal }] }]);
		expect(fx.api().server.requests).toEqual([]);
	});
});

describe('Kantata OX Tool', () => {
	const kantata = kantataFixture();
	const toolNode = {
		name: 'Kantata OX payments',
		type: `${PACKAGE_NAME}.kantataOxTool`,
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
