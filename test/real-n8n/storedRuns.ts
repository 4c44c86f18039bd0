/**
 * The run data n8n stored for an execution, read from its SQLite database (see readExecutions.cjs), typed only as
 * far as the scenarios look into it: items, their pairing, and errors as the editor shows them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import type { N8nInstall } from '../../scripts/n8nLocal';

/** An error as stored (the editor's "Error details" read these fields). */
export interface StoredError {
	name?: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string };
}

export interface StoredItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }> | number;
	error?: StoredError;
}

export interface StoredTaskData {
	startTime: number;
	/** The node's own run time, in ms (what the benchmarks time). */
	executionTime: number;
	executionStatus?: string;
	error?: StoredError;
	data?: { main: Array<StoredItem[] | null> };
}

export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	data: { resultData: { runData: Record<string, StoredTaskData[]>; error?: StoredError; lastNodeExecuted?: string } };
}

const READER = path.join(__dirname, 'readExecutions.cjs');

/** Every stored execution of `workflowId`, oldest first; with `latest`, only the newest (a large run is read once). */
export function storedExecutions(n8n: N8nInstall, userFolder: string, workflowId: string, which?: 'latest'): StoredExecution[] {
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const output = execFileSync(n8n.node, [READER, n8n.folder, database, workflowId, ...(which ? [which] : [])], {
		env: n8n.env,
		encoding: 'utf8',
		maxBuffer: 512 * 1024 * 1024,
	});
	return JSON.parse(output) as StoredExecution[];
}

/** The node's first run in the execution (each node here runs once). */
export function taskOf(execution: StoredExecution, nodeName: string): StoredTaskData {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run in execution ${execution.id}`);
	return runs[0];
}

/** Items on the node's first output. */
export function outputOf(execution: StoredExecution, nodeName: string): StoredItem[] {
	return taskOf(execution, nodeName).data?.main[0] ?? [];
}
