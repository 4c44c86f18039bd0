import { ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, RoutingNode } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { executeWorkflow } from './engineApi';
import { selectedEngine } from './engines';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/**
 * Runs the package's built nodes the way n8n does: loaded from `dist` by n8n-core's PackageDirectoryLoader,
 * placed in a Workflow behind an input node, and executed by WorkflowExecute, whose RoutingNode carries out
 * the declarative descriptions. Only the parts of an n8n instance that have nothing to do with the nodes
 * (database, UI, task runners) are absent.
 */

// The engine decides where the package is loaded from: this working copy, or a folder it was installed into.
const PACKAGE_ROOT = selectedEngine().packageRoot;
export const PACKAGE_NAME = 'n8n-nodes-kantata-moneybird-payments';

let loader: Promise<PackageDirectoryLoader> | undefined;

/** The built package as n8n loads it (cached for the test file). */
export async function loadPackage(): Promise<PackageDirectoryLoader> {
	loader ??= (async () => {
		const packageLoader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await packageLoader.loadAll();
		return packageLoader;
	})();
	return await loader;
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

/** Supplies credential data the way n8n's CredentialsHelper does, including OAuth2 token updates. */
export class TestCredentials extends ICredentialsHelper {
	/** Every credential handed to a node, by type: tests check what the engine saw and stored. */
	readonly data: Record<string, ICredentialDataDecryptedObject>;

	/** Reads by type. In n8n each one is a database query, a decryption and an expression pass. */
	readonly reads: Record<string, number> = {};

	constructor(
		private readonly types: Record<string, ICredentialType>,
		data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		this.data = structuredClone(data);
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** n8n 2.x asks this before handing a credential to a node (a credential type may restrict itself to some nodes). */
	isCredentialUsableByNode(type: string, nodeType: string): boolean {
		const { restrictToSupportedNodes, supportedNodes } = (this.types[type] ?? {}) as { restrictToSupportedNodes?: boolean; supportedNodes?: string[] };
		return !restrictToSupportedNodes || (supportedNodes ?? []).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.types[typeName]?.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const options = requestOptions as unknown as Record<string, IDataObject>;
		for (const [location, values] of Object.entries(authenticate.properties)) {
			options[location] ??= {};
			for (const [key, value] of Object.entries(values as IDataObject)) {
				options[location][String(resolve(key))] = resolve(value) as string;
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	/** n8n 2.x runs a credential type's own pre-authentication step through this (these credentials have none). */
	async runPreAuthentication(_helpers: unknown, _credentials: ICredentialDataDecryptedObject, typeName: string) {
		if (this.types[typeName]?.preAuthentication) throw new Error(`${typeName}: pre-authentication is not supported by this harness`);
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const given = this.data[type];
		if (!given) throw new Error(`No test credentials of type ${type}`);
		this.reads[type] = (this.reads[type] ?? 0) + 1;
		const defaults = Object.fromEntries(
			this.getCredentialsProperties(type)
				.filter((property) => property.type !== 'notice')
				.map((property) => [property.name, property.default]),
		);
		return { ...defaults, ...structuredClone(given) } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = structuredClone(data);
	}

	async updateCredentialsOauthTokenData(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = { ...this.data[type], oauthTokenData: structuredClone(data.oauthTokenData) };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.types[type];
		return credentialType ? credentialType.properties : [];
	}
}

export interface NodeRun {
	/** The node's output items (first output). */
	items: INodeExecutionData[];
	/** The error that stopped the node, if it did. */
	error?: ExecutionError;
	credentials: TestCredentials;
	run: IRun;
}

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
export function executionData(credentials: TestCredentials, workflowData: IWorkflowBase): IWorkflowExecuteAdditionalData {
	return {
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
	const packageLoader = await loadPackage();
	const types: Record<string, INodeType | IVersionedNodeType> = { testInput: inputNodeType(options.items ?? [{}]) };
	for (const [name, { type }] of Object.entries(packageLoader.nodeTypes)) types[`${PACKAGE_NAME}.${name}`] = type;
	for (const [name, type] of Object.entries(options.extraTypes ?? {})) types[name] = type;
	const credentialTypes = Object.fromEntries(
		Object.entries(packageLoader.credentialTypes).map(([name, { type }]) => [name, type]),
	);

	const nodeTypeName = options.extraTypes?.[options.type] ? options.type : `${PACKAGE_NAME}.${options.type}`;
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
		error: taskData?.error ?? run.data.resultData.error,
		credentials,
		run,
	};
}

/**
 * What the editor gives a node's list-search and load-options methods: n8n-core's own LoadOptionsContext for
 * the node with these parameters, and the node type to call the methods of.
 */
export async function editorContext(options: Omit<RunOptions, 'items'>) {
	const { workflow, node, additionalData } = await prepare(options);
	// The editor sends the node's parameters as they stand when a picker opens.
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const nodeType = (await loadPackage()).nodeTypes[options.type].type as INodeType;
	return { context, methods: nodeType.methods! };
}

/**
 * Runs a credential's `test` request as n8n's credential tester does: a declarative node whose request
 * defaults are the test request, executed by RoutingNode with the credential. Resolves to n8n's verdict.
 */
/** lodash's `get` for a dotted key, as n8n's tester reads a rule's key. */
function atPath(value: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), value);
}

export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const packageLoader = await loadPackage();
	const credentialType = packageLoader.credentialTypes[type].type;
	if (!credentialType.test) throw new Error(`${type} has no test`);
	const tester: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			// As n8n's CredentialsTester (1.x and 2.x) builds it: one property whose routing is the test request.
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } }],
		},
	};
	const result = await runNode({ type: 'credentialTest', parameters: {}, credentials: { [type]: data }, extraTypes: { credentialTest: tester } });
	if (result.error) return { status: 'Error', message: result.error.message };
	// Then, as there, each `responseSuccessBody` rule whose key holds its value turns the success into its message.
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && atPath(result.items[0]?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
