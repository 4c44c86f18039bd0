import { WorkflowExecute } from 'n8n-core';
import type { INode, IRun, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

/**
 * The one place where n8n-core's API differs between the majors the suite runs on (test/harness/engines.js):
 * from 2.0 on, `WorkflowExecute.run` takes one options object instead of positional arguments.
 */

/** The major version of the engine's n8n-core, for the few behaviours that differ between majors. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const n8nCoreMajor = Number((require('n8n-core/package.json') as { version: string }).version.split('.')[0]);

/** Runs `workflow` from `startNode` as a manual execution, on whichever n8n-core the engine is. */
export async function executeWorkflow(
	additionalData: IWorkflowExecuteAdditionalData,
	workflow: Workflow,
	startNode: INode,
): Promise<IRun> {
	const execute = new WorkflowExecute(additionalData, 'manual');
	if (n8nCoreMajor >= 2) {
		const run = execute.run as unknown as (options: { workflow: Workflow; startNode: INode }) => Promise<IRun>;
		return await run.call(execute, { workflow, startNode });
	}
	return await execute.run(workflow, startNode);
}
