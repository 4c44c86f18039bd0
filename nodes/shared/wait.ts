import { NodeOperationError, sleep } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/** The longest single sleep: a cancelled execution stops waiting within this time. */
const SLICE_MS = 250;

interface Cancellable {
	getNode(): INode;
	getExecutionCancelSignal(): AbortSignal | undefined;
}

/**
 * Waits `ms`, or less when the execution is cancelled meanwhile: a rate-limit wait can last minutes, and a
 * user who stops the run should not wait them out. Built on `sleep`, which every n8n-workflow release exports
 * (n8n 1.x's `sleepWithAbort` is gone from 2.x, and the package may run with either).
 */
export async function waitUnlessCancelled(context: Cancellable, ms: number): Promise<void> {
	const signal = context.getExecutionCancelSignal();
	const end = Date.now() + ms;
	for (let left = ms; left > 0; left = end - Date.now()) {
		if (signal?.aborted) throw new NodeOperationError(context.getNode(), 'The execution was cancelled while waiting');
		await sleep(Math.min(left, SLICE_MS));
	}
}
