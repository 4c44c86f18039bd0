/**
 * Reads one benchmark round from the run data n8n stored for an `n8n execute --id` run: each contender's own
 * `executionTime`, and the counts that show it did the whole job.
 */
import type { N8nInstall } from '../../scripts/n8nLocal';
import { storedExecutions } from '../../test/real-n8n/storedRuns';
import type { StoredTaskData } from '../../test/real-n8n/storedRuns';
import { CREATE, LIST } from './workflows';
import type { First } from './workflows';

type TaskData = StoredTaskData;
type RunData = Record<string, TaskData[]>;

export interface RoundTimes {
	listNode: number;
	listHttp: number;
	createNode: number;
	createHttpAllAtOnce: number;
	/** From the loop's first start to its last end: Loop Over Items and the HTTP Request node, 300 runs each. */
	createHttpOneAtATime: number;
}

/**
 * The run data of the workflow's latest stored execution, read from the user folder's database with n8n's own
 * modules. Not from the CLI's printout: n8n exits before a printout of megabytes is through.
 */
export function storedRunData(n8n: N8nInstall, userFolder: string, workflowId: string): RunData {
	const [run] = storedExecutions(n8n, userFolder, workflowId, 'latest');
	if (!run) throw new Error(`no stored execution of workflow ${workflowId}`);
	if (run.data.resultData.error) throw new Error(`the benchmark workflow failed: ${run.data.resultData.error.message}`);
	if (run.status !== 'success') throw new Error(`the benchmark workflow ended ${run.status}`);
	return run.data.resultData.runData;
}

function only(runData: RunData, name: string): TaskData {
	const runs = runData[name];
	if (runs?.length !== 1) throw new Error(`${name} ran ${runs?.length ?? 0} times, expected once`);
	if (runs[0].error) throw new Error(`${name} failed: ${runs[0].error.message}`);
	return runs[0];
}

const itemsOf = (task: TaskData) => task.data?.main?.[0] ?? [];

function expectCount(what: string, got: number, expected: number) {
	if (got !== expected) throw new Error(`${what}: ${got}, expected ${expected}`);
}

/** Times of one round; throws when a contender did not do the whole job or the branches ran in the wrong order. */
export function roundTimes(runData: RunData, { payments, creates, first }: { payments: number; creates: number; first: First }): RoundTimes {
	const listNode = only(runData, LIST.node);
	const listHttp = only(runData, LIST.http);
	expectCount(`${LIST.node} items`, itemsOf(listNode).length, payments);
	const pages = itemsOf(listHttp);
	const httpListed = pages.reduce((sum, page) => sum + ((page.json.results as unknown[] | undefined)?.length ?? 0), 0);
	expectCount(`${LIST.http} records`, httpListed, payments);

	const createNode = only(runData, CREATE.node);
	const createAll = only(runData, CREATE.httpAllAtOnce);
	expectCount(`${CREATE.node} items`, itemsOf(createNode).filter((item) => item.json.id !== undefined).length, creates);
	// The HTTP Request node outputs Kantata's answer as it is: one created record under `results`.
	const answered = itemsOf(createAll).filter((item) => (item.json.results as unknown[] | undefined)?.length === 1);
	expectCount(`${CREATE.httpAllAtOnce} items`, answered.length, creates);
	const oneAtATime = runData[CREATE.httpOneAtATime] ?? [];
	expectCount(`${CREATE.httpOneAtATime} runs`, oneAtATime.filter((task) => !task.error).length, creates);
	const loopRuns = [...(runData[CREATE.loop] ?? []), ...oneAtATime];
	const loopStart = Math.min(...loopRuns.map((task) => task.startTime));
	const loopEnd = Math.max(...loopRuns.map((task) => task.startTime + task.executionTime));

	const nodeFirst = listNode.startTime < listHttp.startTime && createNode.startTime < createAll.startTime;
	if (nodeFirst !== (first === 'node')) throw new Error(`the contenders ran in the wrong order (expected ${first} first)`);
	return {
		listNode: listNode.executionTime,
		listHttp: listHttp.executionTime,
		createNode: createNode.executionTime,
		createHttpAllAtOnce: createAll.executionTime,
		createHttpOneAtATime: loopEnd - loopStart,
	};
}
