import { ExecutionLifecycleHooks, PackageDirectoryLoader, RoutingNode } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentials } from './credentials';
import { executeWorkflow } from './engineApi';
import { selectedEngine } from './engines';
import { nodeType } from './packages';

/**
 * Runs the package's built nodes the way n8n does: loaded from `dist` by n8n-core's PackageDirectoryLoader,
 * placed in a Workflow behind an input node, and executed by WorkflowExecute, whose RoutingNode carries out
 * the declarative descriptions. Only the parts of an n8n instance that have nothing to do with the nodes
 * (database, UI, task runners) are absent.
 */

export interface LoadedPackages {
	/** Each package as n8n loads it, from the folder the engine says (this working copy, or a user folder). */
	loaders: PackageDirectoryLoader[];
	/** The node types of all the packages by their name in their package (no two packages share one). */
	nodeTypes: PackageDirectoryLoader['nodeTypes'];
	/** The credential types of all the packages by name. */
	credentialTypes: PackageDirectoryLoader['credentialTypes'];
	/** The node types by their full name, `<package>.<node>`, as workflows name them. */
	byType: Record<string, INodeType | IVersionedNodeType>;
}

let loaded: Promise<LoadedPackages> | undefined;

/** The built packages as n8n loads them (cached for the test file). */
export async function loadPackages(): Promise<LoadedPackages> {
	loaded ??= (async () => {
		const loaders = selectedEngine().packageRoots.map((root) => new PackageDirectoryLoader(root));
		for (const loader of loaders) await loader.loadAll();
		return {
			loaders,
			nodeTypes: Object.assign({}, ...loaders.map((loader) => loader.nodeTypes)) as LoadedPackages['nodeTypes'],
			credentialTypes: Object.assign({}, ...loaders.map((loader) => loader.credentialTypes)) as LoadedPackages['credentialTypes'],
			byType: Object.fromEntries(
				loaders.flatMap((loader) => Object.entries(loader.nodeTypes).map(([name, { type }]) => [`${loader.packageName}.${name}`, type])),
			),
		};
	})();
	return await loaded;
}

/** Declarative nodes get the `execute` that n8n's own node-type registry gives them. */
function executable(nodeType: INodeType): INodeType {
	if (nodeType.execute || nodeType.poll || nodeType.trigger || nodeType.webhook) return nodeType;
	const routed = Object.create(nodeType) as INodeType;
	routed.execute = async function (this: IExecuteFunctions) {
		return (await new RoutingNode(this as never, nodeType).runNode()) ?? [];
	};
	return routed;
}

/**
 * Resolves a type name the registry does not hold (n8n fabricates some, e.g. `…Tool` variants). `base` gives a
 * registered type at a version, with the `execute` the registry gives declarative nodes.
 */
export type TypeResolver = (name: string, version: number | undefined, base: (name: string) => INodeType) => INodeType | undefined;

/** n8n's node-type registry, as far as a run needs it. */
export class NodeTypes implements INodeTypes {
	private readonly resolved = new Map<string, INodeType>();

	constructor(
		private readonly types: Record<string, INodeType | IVersionedNodeType>,
		private readonly resolve?: TypeResolver,
	) {}

	getByName(name: string): INodeType | IVersionedNodeType {
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

export interface NodeRun {
	/** The node's output items (first output). */
	items: INodeExecutionData[];
	/** Every output's items: the error output is the second with On Error: Continue (using error output). */
	outputs: INodeExecutionData[][];
	/** The error that stopped the node, if it did. */
	error?: ExecutionError;
	credentials: TestCredentials;
	run: IRun;
}

export type NodeSettings = Partial<Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'onError' | 'alwaysOutputData'>>;

export interface RunOptions {
	/** Node type without the package prefix, e.g. `kantataOx`. */
	type: string;
	parameters: INodeParameters;
	/** Credential data by credential type; the node uses the one its Authentication parameter selects. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Input items (default: one empty item). */
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** The node setting Execute Once: n8n hands the node only the first input item. */
	executeOnce?: boolean;
	/** Other node settings as the editor stores them: Retry On Fail, On Error, Always Output Data. */
	settings?: NodeSettings;
	/** Extra node types for this run, e.g. a credential-test node. */
	extraTypes?: Record<string, INodeType>;
}

const inputNodeType = (items: IDataObject[]): INodeType => ({
	description: {
		displayName: 'Input',
		name: 'testInput',
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	},
});

/** What an n8n instance gives an execution, less what these nodes never use (database, sub-workflows, runners). */
let executions = 0;

export function executionData(credentials: TestCredentials, workflowData: IWorkflowBase): IWorkflowExecuteAdditionalData {
	return {
		// Each run its own execution, as n8n gives it (what a tool's delete remembers is per execution).
		executionId: `test-execution-${++executions}`,
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
}

/** The workflow n8n would hold for one node behind an input node, and what an instance gives its execution. */
export async function prepare(options: RunOptions) {
	const packages = await loadPackages();
	const types: Record<string, INodeType | IVersionedNodeType> = { testInput: inputNodeType(options.items ?? [{}]), ...packages.byType };
	for (const [name, type] of Object.entries(options.extraTypes ?? {})) types[name] = type;
	const credentialTypes = Object.fromEntries(
		Object.entries(packages.credentialTypes).map(([name, { type }]) => [name, type]),
	);

	const nodeTypeName = options.extraTypes?.[options.type] ? options.type : nodeType(options.type);
	const node: INode = {
		id: 'node-under-test',
		name: 'Node',
		type: nodeTypeName,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		credentials: Object.fromEntries(Object.keys(options.credentials).map((type) => [type, { id: type, name: type }])),
		continueOnFail: options.continueOnFail,
		executeOnce: options.executeOnce,
		...options.settings,
	};
	const input: INode = { id: 'input', name: 'Input', type: 'testInput', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflowData = {
		id: 'test-workflow',
		name: 'Test',
		active: false,
		nodes: [input, node],
		connections: { Input: { main: [[{ node: 'Node', type: 'main' as const, index: 0 }]] } },
		settings: { executionOrder: 'v1' as const },
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes: new NodeTypes(types) });
	const credentials = new TestCredentials(credentialTypes, options.credentials);
	const additionalData = executionData(credentials, workflowData);
	return { workflow, node: workflow.getNode('Node')!, input, credentials, additionalData };
}

/** Runs one node of the package (or an extra type) on the given items through n8n's workflow engine. */
export async function runNode(options: RunOptions): Promise<NodeRun> {
	const { workflow, input, credentials, additionalData } = await prepare(options);
	const run = await executeWorkflow(additionalData, workflow, input);
	const taskData = run.data.resultData.runData.Node?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		outputs: (taskData?.data?.main ?? []).map((items) => items ?? []),
		error: taskData?.error ?? run.data.resultData.error,
		credentials,
		run,
	};
}
