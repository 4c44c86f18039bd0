import { PollContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, WorkflowExecuteMode } from 'n8n-workflow';

import { prepare } from './engine';
import type { RunOptions } from './engine';

/**
 * A polling node as n8n's ActiveWorkflows runs it: one Workflow (which holds the workflow's static data from
 * poll to poll, as an active workflow does), and for every poll a fresh n8n-core PollContext on which the
 * node type's `poll` is called, as n8n-core's TriggersAndPollers.runPoll does.
 */
export async function poller(options: Omit<RunOptions, 'items'>) {
	const { workflow, node, additionalData, credentials } = await prepare(options);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`${node.type} is not a polling node`);
	const poll = nodeType.poll;

	return {
		workflow,
		/** The node in the workflow: change its `parameters` between polls as a user editing it would. */
		node,
		credentials,
		/** One poll: `trigger` as in an active workflow, `manual` as the editor's "Fetch Test Event". */
		async poll(mode: Extract<WorkflowExecuteMode, 'trigger' | 'manual'> = 'trigger'): Promise<INodeExecutionData[][] | null> {
			const context = new PollContext(workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
			return await poll.call(context);
		},
		/** What the node keeps between polls (`getWorkflowStaticData('node')`), as plain data. */
		staticData(): IDataObject {
			return JSON.parse(JSON.stringify(workflow.staticData[`node:${node.name}`] ?? {})) as IDataObject;
		},
	};
}
