import { Workflow } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IVersionedNodeType,
	IWorkflowSettings,
} from 'n8n-workflow';

import { executeWorkflow } from './engineApi';
import { TestCredentials } from './credentials';
import { executionData, loadPackages, NodeTypes } from './engine';
import type { TypeResolver } from './engine';

export type { TypeResolver };

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


/** The packages' node types under their full names, e.g. `n8n-nodes-moneybird-payments.moneybird`. */
export async function packageNodeTypes(): Promise<Record<string, AnyNodeType>> {
	return (await loadPackages()).byType;
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
	const packages = await loadPackages();
	const types = { ...packages.byType, ...options.types };
	const credentialTypes = Object.fromEntries(
		Object.entries(packages.credentialTypes).map(([name, { type }]) => [name, type]),
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
	const workflow = new Workflow({ ...workflowData, nodeTypes: new NodeTypes(types, options.resolve) });
	const credentials = new TestCredentials(credentialTypes, options.credentials);
	const additionalData = executionData(credentials, workflowData);

	const start = workflow.getNode(options.start);
	if (!start) throw new Error(`The workflow has no node "${options.start}"`);
	const run = await executeWorkflow(additionalData, workflow, start);
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
