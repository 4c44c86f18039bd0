/**
 * The AI Agent tool variants n8n derives from the two action nodes (`usableAsTool: true`), and an agent stand-in
 * that runs them as an agent does (test/tool.test.ts uses both).
 *
 * How n8n derives a tool variant (n8n 1.123, the release this package's n8n-core/n8n-workflow pins come from;
 * later releases moved the code but do the same):
 * - At startup, `createAiTools` in the CLI copies the description of every `usableAsTool` node (community ones
 *   too) and passes it to `convertNodeToAiTool`, so the editor lists `<type>Tool`, e.g.
 *   `n8n-nodes-moneybird-payments.moneybirdTool` (packages/cli/src/load-nodes-and-credentials.ts; later
 *   packages/cli/src/tool-generation/ai-tools.ts).
 * - When a workflow runs, the CLI's `NodeTypes.getByNameAndVersion` (packages/cli/src/node-types.ts) answers a
 *   `…Tool` name that no package declares with the base node: it gives a declarative node its RoutingNode
 *   `execute` (`shouldAssignExecuteMethod`, packages/cli/src/utils.ts), refuses a node that is not
 *   `usableAsTool`, and wraps the node in prototype-linked copies whose description `convertNodeToAiTool`
 *   rewrites: name + `Tool`, display name + ` Tool`, no inputs, one `ai_tool` output, the "Tool Description"
 *   parameters (`descriptionType`, `toolDescription`) put before the node's own, and the AI codex.
 * Both live in n8n's CLI package, which this package does not install, so `toolVariant` below is a minimal
 * equivalent written for the tests (not n8n's code). Everything after it is n8n-core itself: the agent stand-in
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

import { runWorkflow } from './workflow';
import type { TypeResolver, WorkflowRun } from './workflow';

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
export function toolVariant(base: INodeType): INodeType {
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
export interface ToolCall {
	tool: string;
	args: IDataObject;
}

/** What the agent stand-in saw of its tools (n8n-core's createNodeAsTool) and got back from them. */
export interface AgentView {
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
export async function runAgent(
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
