import { sleep } from 'n8n-workflow';

import { asNodeError } from './errors';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, PreSendAction } from 'n8n-workflow';

/**
 * n8n's RoutingNode starts the request of every input item at once. For payments that is wrong twice over:
 * a bad row found after others were sent leaves a half-booked batch, and hundreds of parallel requests only
 * meet the API's rate limit sooner. So items wait here and go one at a time, in input order, once every item
 * of the run has passed its input checks. Without "Continue On Fail", the first invalid item stops the run
 * before anything is sent, and the first failed request stops every item after it from being sent.
 *
 * "Every item" is the run's input as the execute data lists it, or fewer: with Execute Once, or any engine path
 * that starts fewer items than it lists, the queue opens once the engine has gone quiet. RoutingNode starts every
 * item in one synchronous loop, so after one timer turn no item that is coming has not arrived.
 */

interface Waiting {
	start: () => void;
	stop: (error: Error) => void;
}

interface RunQueue {
	/** How many items the execute data lists; the queue opens early when they have all arrived. */
	expected: number;
	/** Set once every item that is coming has arrived; from then on, the lowest waiting index goes next. */
	open: boolean;
	quietCheck: boolean;
	continueOnFail: boolean;
	waiting: Map<number, Waiting>;
	/** Items that are done: sent, failed, or refused by the input checks. */
	settled: Set<number>;
	running: boolean;
	/** IDs of the records this run has created, so a lost answer is never matched to another item's record. */
	created: Set<string>;
	stopError?: Error;
}

/** One queue per node run: RoutingNode gives every item of a run the same execute-data object. */
const queues = new WeakMap<object, RunQueue>();

function queueOf(context: IExecuteSingleFunctions): RunQueue {
	const key = context.getExecuteData();
	let queue = queues.get(key);
	if (!queue) {
		const input = key.data as IDataObject;
		const items = ((input.main ?? input.ai_tool) as unknown[][] | undefined)?.[0];
		queue = {
			expected: items?.length ?? 1,
			open: false,
			quietCheck: false,
			continueOnFail: context.continueOnFail(),
			waiting: new Map(),
			settled: new Set(),
			created: new Set(),
			running: false,
		};
		queues.set(key, queue);
	}
	return queue;
}

function pump(queue: RunQueue): void {
	if (queue.stopError) {
		for (const waiting of queue.waiting.values()) waiting.stop(queue.stopError);
		queue.waiting.clear();
		return;
	}
	if (!queue.open && queue.waiting.size + queue.settled.size >= queue.expected) queue.open = true;
	if (!queue.open) {
		if (!queue.quietCheck) {
			queue.quietCheck = true;
			void sleep(0).then(() => {
				queue.open = true;
				pump(queue);
			});
		}
		return;
	}
	if (queue.running || queue.waiting.size === 0) return;
	let next = Infinity;
	for (const index of queue.waiting.keys()) next = Math.min(next, index);
	const waiting = queue.waiting.get(next)!;
	queue.waiting.delete(next);
	queue.running = true;
	waiting.start();
}

/** The IDs of records created so far by this node run (the runner adds to it). */
export function createdInRun(context: IExecuteSingleFunctions): Set<string> {
	return queueOf(context).created;
}

/** Marks an item refused by its input checks; without "Continue On Fail" this stops the whole run unsent. */
export function refuseItem(context: IExecuteSingleFunctions, error: Error): void {
	const queue = queueOf(context);
	queue.settled.add(context.getItemIndex());
	if (!queue.continueOnFail) queue.stopError ??= error;
	pump(queue);
}

export interface Turn {
	/** Lets the next item go, or with an error (and no "Continue On Fail") stops every item after this one. */
	finish(error?: Error): void;
}

/** Resolves when it is this item's turn to send; rejects with the error that stopped the run. */
export async function waitForTurn(context: IExecuteSingleFunctions): Promise<Turn> {
	const queue = queueOf(context);
	const itemIndex = context.getItemIndex();
	await new Promise<void>((start, stop) => {
		queue.waiting.set(itemIndex, { start, stop });
		pump(queue);
	});
	return {
		finish(error?: Error) {
			queue.running = false;
			queue.settled.add(itemIndex);
			if (error && !queue.continueOnFail) queue.stopError ??= error;
			pump(queue);
		},
	};
}

type Check = (this: IExecuteSingleFunctions, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** A preSend check: an item it refuses is reported to the queue, so no other item is sent ahead of the error. */
export function inputCheck(check: Check): PreSendAction {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		try {
			return await check.call(this, options);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			refuseItem(this, nodeError);
			throw nodeError;
		}
	};
}
