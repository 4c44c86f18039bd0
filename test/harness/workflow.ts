import { ExecutionLifecycleHooks, RoutingNode, WorkflowExecute } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IConnections,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';

import { loadPackage, PACKAGE_NAME, TestCredentials } from './engine';

/**
 * Whole workflows (several nodes, as an n8n export holds them) run through n8n-core's WorkflowExecute, as
 * engine.ts runs one node: the package's built nodes as n8n loads them, next to the test's own node types.
 */

/** A workflow as n8n exports it (the parts the engine reads). */
export interface WorkflowFile {
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * Resolves a type name the registry does not hold (n8n fabricates some, e.g. `…Tool` variants). `base` gives a
 * registered type at a version, with the `execute` the registry gives declarative nodes.
 */
export type TypeResolver = (name: string, version: number | undefined, base: (name: string) => INodeType) => INodeType | undefined;

/** Declarative nodes get the `execute` that n8n's own node-type registry gives them (as in engine.ts). */
function executable(nodeType: INodeType): INodeType {
	if (nodeType.execute || nodeType.poll || nodeType.trigger || nodeType.webhook) return nodeType;
	const routed = Object.create(nodeType) as INodeType;
	routed.execute = async function (this: IExecuteFunctions) {
		return (await new RoutingNode(this as never, nodeType).runNode()) ?? [];
	};
	return routed;
}

class WorkflowNodeTypes implements INodeTypes {
	private readonly resolved = new Map<string, INodeType>();

	constructor(
		private readonly types: Record<string, AnyNodeType>,
		private readonly resolve?: TypeResolver,
	) {}

	getByName(name: string): AnyNodeType {
		return this.types[name] ?? this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.types[name];
		if (type) return executable(NodeHelpers.getVersionedNodeType(type, version));
		const key = `${name}@${version ?? 'default'}`;
		let fabricated = this.resolved.get(key);
		if (!fabricated) {
			fabricated = this.resolve?.(name, version, (baseName) => this.getByNameAndVersion(baseName, version));
			if (!fabricated) throw new Error(`Unknown node type ${name}`);
			this.resolved.set(key, fabricated);
		}
		return fabricated;
	}

	getKnownTypes() {
		return {};
	}
}

/** The package's node types under their full names, e.g. `n8n-nodes-kantata-moneybird-payments.moneybird`. */
export async function packageNodeTypes(): Promise<Record<string, AnyNodeType>> {
	const packageLoader = await loadPackage();
	return Object.fromEntries(
		Object.entries(packageLoader.nodeTypes).map(([name, { type }]) => [`${PACKAGE_NAME}.${name}`, type]),
	);
}

export interface WorkflowRunOptions {
	workflow: WorkflowFile;
	/** Node types by full name, next to the package's own (which these may replace). */
	types?: Record<string, AnyNodeType>;
	resolve?: TypeResolver;
	/** Credential data by credential type; every node's credential of that type gets it. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The node the run starts from (a trigger or its stand-in). */
	start: string;
}

export interface WorkflowRun {
	run: IRun;
	workflow: Workflow;
	credentials: TestCredentials;
	/** The error that stopped the workflow, if one did. */
	error?: ExecutionError;
	/** Items of one output of a node's run (`main` unless given); empty when the node did not run. */
	output(node: string, outputIndex?: number, runIndex?: number, connectionType?: string): INodeExecutionData[];
	/** Whether the node ran at all. */
	ran(node: string): boolean;
}

/** Runs a workflow through n8n-core's WorkflowExecute, from `start`, as a manual execution. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRun> {
	const packageLoader = await loadPackage();
	const types = { ...(await packageNodeTypes()), ...options.types };
	const credentialTypes = Object.fromEntries(
		Object.entries(packageLoader.credentialTypes).map(([name, { type }]) => [name, type]),
	);
	const workflowData = {
		id: 'test-workflow',
		name: options.workflow.name,
		active: false,
		nodes: structuredClone(options.workflow.nodes),
		connections: structuredClone(options.workflow.connections),
		settings: { executionOrder: 'v1' as const, ...options.workflow.settings },
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes: new WorkflowNodeTypes(types, options.resolve) });
	const credentials = new TestCredentials(credentialTypes, options.credentials);
	const additionalData = {
		credentialsHelper: credentials,
		hooks: new ExecutionLifecycleHooks('manual', 'test-execution', workflowData),
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used');
		},
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('task runners are not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const start = workflow.getNode(options.start);
	if (!start) throw new Error(`The workflow has no node "${options.start}"`);
	const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, start);
	const runData = run.data.resultData.runData;
	return {
		run,
		workflow,
		credentials,
		error: run.data.resultData.error,
		output: (node, outputIndex = 0, runIndex = 0, connectionType = 'main') =>
			runData[node]?.[runIndex]?.data?.[connectionType]?.[outputIndex] ?? [],
		ran: (node) => (runData[node]?.length ?? 0) > 0,
	};
}
