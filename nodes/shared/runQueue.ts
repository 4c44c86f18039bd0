import { sleep } from 'n8n-workflow';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { newRunMemory } from './runMemory';
import type { RunMemory } from './runMemory';
import { errorOutputItem } from './rows';
import { isToolCall, toolAnswer } from './toolCall';

/*
 * The item queue of one node run, and its tries: the mechanics behind the engine adaptation (routingAdapter.ts,
 * whose top comment lists the RoutingNode behaviours they rely on).
 */

interface Waiting {
	start: () => void;
	stop: (error: Error) => void;
}

export interface RunQueue {
	/** How many items come: those the execute data lists, or one with Execute Once. The queue opens early when they have all arrived. */
	expected: number;
	/**
	 * The Batching option hands items over a batch interval apart. An item's rejection is then held until every
	 * item arrived: RoutingNode listens for the rejections only after its last batch.
	 */
	inBatches: boolean;
	/** Requests in flight at once (Request Options > Requests in Parallel); items still start in input order. */
	parallel: number;
	/** Items go on after one failed: with "Continue On Fail", or as an AI tool (see `asTool`). */
	continueOnFail: boolean;
	/** The node runs as an AI tool (toolCall.ts): a failed call is the tool's answer, a message for the agent. */
	asTool: boolean;
	/** What the run keeps across n8n's tries (see `RunMemory`). */
	memory: RunMemory;
	/** The run's credential of each type, read once for all items (behaviour 2). */
	credentials: Map<string, Promise<ICredentialsDecrypted>>;
	/** What the run's items share, computed once (see `oncePerRun`); one that failed is computed again by the next try. */
	shared: Map<string, Promise<unknown>>;
	failedShared: Set<string>;
	/** The current try; n8n's Retry On Fail starts another with the same queue. */
	attempt: Attempt;
}

/** What an item waited for the API's rate limit: in total, and how many 429 answers made it wait. */
export interface RateLimitWaits {
	ms: number;
	times: number;
}

/** One try of the node over the run's items. */
interface Attempt {
	/** Items that reached the queue in this try, and when they all have (see `inBatches`). */
	arrived: Set<number>;
	allArrived: Promise<void>;
	everyItemArrived: () => void;
	/** Set once every item that is coming has arrived; from then on, the lowest waiting index goes next. */
	open: boolean;
	quietCheck: boolean;
	/** One timer turn has passed since the first item arrived. */
	quiet: boolean;
	waiting: Map<number, Waiting>;
	/** No waiting item has a lower index: the next is found by moving this forward, not by scanning `waiting`. */
	lowestWaiting: number;
	/** Items that are done in this try: sent, failed, refused by the input checks, or stopped. */
	settled: Set<number>;
	/** Items whose requests are under way. */
	running: number;
	/** Items whose input checks are reading the API: until they are done, nothing is sent (behaviour 7). */
	busy: Set<number>;
	/** With Continue On Fail: items the input checks refused, output as errors by the runner. */
	refused: Map<number, NodeApiError | NodeOperationError>;
	/** Each item's waits for rate limits in this try (see `rateLimitWaitsOf`). */
	rateLimitWaits: Map<number, RateLimitWaits>;
	/** What items finish once every item of the try settled (see `whenEveryItemSettled`), and what they share then. */
	finishers: Map<number, Finisher>;
	afterEveryItem: Map<string, Promise<unknown>>;
	everySettled: Promise<void>;
	everyItemSettled: () => void;
	stopError?: Error;
}

/** An item's last step, after every item of its try settled: its final output. */
export type Finisher = () => Promise<INodeExecutionData[]>;

function newAttempt(): Attempt {
	let everyItemArrived = () => {};
	const allArrived = new Promise<void>((resolve) => (everyItemArrived = resolve));
	let everyItemSettled = () => {};
	const everySettled = new Promise<void>((resolve) => (everyItemSettled = resolve));
	return {
		arrived: new Set(),
		allArrived,
		everyItemArrived,
		open: false,
		quietCheck: false,
		quiet: false,
		waiting: new Map(),
		lowestWaiting: 0,
		settled: new Set(),
		running: 0,
		busy: new Set(),
		refused: new Map(),
		rateLimitWaits: new Map(),
		finishers: new Map(),
		afterEveryItem: new Map(),
		everySettled,
		everyItemSettled,
	};
}

interface Batching {
	batch?: { batchSize?: number; batchInterval?: number };
}

const queues = new WeakMap<object, RunQueue>();

function queueOf(context: IExecuteSingleFunctions): RunQueue {
	const key = context.getExecuteData();
	let queue = queues.get(key);
	if (!queue) {
		const input = key.data as IDataObject;
		const items = ((input.main ?? input.ai_tool) as unknown[][] | undefined)?.[0];
		const expected = context.getNode().executeOnce ? 1 : (items?.length ?? 1);
		const { batch } = context.getNodeParameter('requestOptions.batching', {}) as Batching;
		queue = {
			expected,
			inBatches: (batch?.batchInterval ?? 0) > 0 && Math.max(1, batch?.batchSize ?? 1) < expected,
			parallel: Math.max(1, Math.floor(context.getNodeParameter('requestOptions.requestsInParallel', 1) as number) || 1),
			continueOnFail: context.continueOnFail() || isToolCall(context),
			asTool: isToolCall(context),
			memory: newRunMemory(),
			credentials: new Map(),
			shared: new Map(),
			failedShared: new Set(),
			attempt: newAttempt(),
		};
		queues.set(key, queue);
	}
	return queue;
}

/** What the item's run keeps across n8n's tries (see `RunMemory`). */
export const runMemoryOf = (context: IExecuteSingleFunctions): RunMemory => queueOf(context).memory;

/**
 * The item's waits for the API's rate limit in its current try, over all its requests (a listing's pages, a read
 * before a create): Request Options > Max Rate Limit Wait bounds their total. A new try (Retry On Fail, which
 * waits between tries as the user set) starts with none.
 */
export function rateLimitWaitsOf(context: IExecuteSingleFunctions): RateLimitWaits {
	const { rateLimitWaits } = queueOf(context).attempt;
	const itemIndex = context.getItemIndex();
	let waits = rateLimitWaits.get(itemIndex);
	if (!waits) {
		waits = { ms: 0, times: 0 };
		rateLimitWaits.set(itemIndex, waits);
	}
	return waits;
}

/**
 * The queue of the item's run, in the item's current try. An item that comes back after it settled is n8n
 * running the node again (Retry On Fail, or its retry of a node whose first output item failed): RoutingNode
 * returns only after every item of a try settled, so that begins a new try, which keeps only the run's memory.
 * (An item that arrives late, as with the Batching option, joins the try under way, and its stop.)
 */
export function arrive(context: IExecuteSingleFunctions): RunQueue {
	const queue = queueOf(context);
	const itemIndex = context.getItemIndex();
	if (queue.attempt.settled.has(itemIndex)) {
		queue.attempt = newAttempt();
		for (const key of queue.failedShared) queue.shared.delete(key);
		queue.failedShared.clear();
	}
	const { arrived } = queue.attempt;
	arrived.add(itemIndex);
	if (arrived.size >= queue.expected) queue.attempt.everyItemArrived();
	return queue;
}

export function pump(queue: RunQueue): void {
	const attempt = queue.attempt;
	if (attempt.stopError) {
		for (const [index, waiting] of attempt.waiting) {
			attempt.settled.add(index);
			waiting.stop(attempt.stopError);
		}
		attempt.waiting.clear();
		noteIfEverySettled(queue);
		return;
	}
	if (!attempt.open && attempt.waiting.size + attempt.settled.size >= queue.expected) attempt.open = true;
	if (!attempt.open) {
		if (!attempt.quietCheck) {
			attempt.quietCheck = true;
			// Behaviour 3: one timer turn after the first item, every item that is coming has arrived.
			void sleep(0).then(() => {
				attempt.quiet = true;
				pump(queue);
			});
		}
		if (!attempt.quiet || attempt.busy.size > 0) return;
		attempt.open = true;
	}
	while (attempt.running < queue.parallel && attempt.waiting.size > 0) {
		while (!attempt.waiting.has(attempt.lowestWaiting)) attempt.lowestWaiting++;
		const next = attempt.lowestWaiting;
		const waiting = attempt.waiting.get(next)!;
		attempt.waiting.delete(next);
		attempt.running++;
		waiting.start();
	}
}

/**
 * Lets the next item go, or with an error (and no "Continue On Fail") stops every item not yet started.
 * `ran`: the item's request was under way (it had its turn).
 */
export function settle(queue: RunQueue, itemIndex: number, error?: Error, ran = false): void {
	const attempt = queue.attempt;
	if (ran) attempt.running--;
	attempt.settled.add(itemIndex);
	if (error && !queue.continueOnFail) attempt.stopError ??= error;
	pump(queue);
	noteIfEverySettled(queue);
}

/**
 * Every item of the try settled: all that were expected, or (without Batching) all that arrived once the queue
 * opened (Execute Once starts fewer than listed) with none waiting or under way.
 */
function noteIfEverySettled(queue: RunQueue): void {
	const attempt = queue.attempt;
	// Items settle only after they arrived, so counting them is enough (and keeps the queue's steps constant).
	const allArrivedSettled =
		!queue.inBatches && attempt.open && attempt.running === 0 && attempt.waiting.size === 0 && attempt.settled.size >= attempt.arrived.size;
	if (attempt.settled.size >= queue.expected || allArrivedSettled) attempt.everyItemSettled();
}

/**
 * Gives an item a last step that runs once every item of its try settled (an item after its create looks for a
 * duplicate another run recorded, once for all the try's items: recordedPayments.ts of each service). The
 * item's output is then what `finisher` returns.
 */
export function whenEveryItemSettled(context: IExecuteSingleFunctions, finisher: Finisher): void {
	queueOf(context).attempt.finishers.set(context.getItemIndex(), finisher);
}

/** What the items' last steps share, computed by the first that asks, once per try. */
export async function onceAfterEveryItem<T>(context: IExecuteSingleFunctions, key: string, compute: () => Promise<T>): Promise<T> {
	const shared = queueOf(context).attempt.afterEveryItem;
	let computed = shared.get(key) as Promise<T> | undefined;
	if (!computed) shared.set(key, (computed = compute()));
	return await computed;
}

/** The item's last step, if it has one: run once every item of the try settled. */
export async function finish(queue: RunQueue, itemIndex: number): Promise<INodeExecutionData[] | undefined> {
	const attempt = queue.attempt;
	const finisher = attempt.finishers.get(itemIndex);
	if (!finisher) return undefined;
	await attempt.everySettled;
	return await finisher();
}

/** Resolves when it is this item's turn to send; rejects with the error that stopped the run. */
export async function waitForTurn(queue: RunQueue, itemIndex: number): Promise<void> {
	await new Promise<void>((start, stop) => {
		const attempt = queue.attempt;
		attempt.waiting.set(itemIndex, { start, stop });
		// Items queue in about input order; one queued after later ones started moves the cursor back to it.
		attempt.lowestWaiting = Math.min(attempt.lowestWaiting, itemIndex);
		pump(queue);
	});
}

/**
 * The credential of one node run, read once for all its items as RoutingNode reads it, and passed with every
 * request so n8n does not load and decrypt it again for each one. (OAuth2 requests still read their own: a
 * renewed token is saved there.)
 */
export async function credentialOfRun(context: IExecuteSingleFunctions, queue: RunQueue, type: string): Promise<ICredentialsDecrypted> {
	let credential = queue.credentials.get(type);
	if (!credential) {
		const { id, name } = context.getNode().credentials?.[type] ?? { id: null, name: type };
		credential = context.getCredentials(type).then((data) => ({ id: id ?? '', name, type, data }));
		queue.credentials.set(type, credential);
	}
	return await credential;
}

/**
 * How an item's failure leaves the node. With Continue On Fail it is the item's output: an error item paired
 * to its input (RoutingNode's own error items are not, so On Error's error output could not say which row
 * failed). As an AI tool it is the tool's answer (toolCall.ts). Otherwise it is thrown, once RoutingNode
 * listens for it (see `inBatches`).
 */
export async function failedItem(
	queue: RunQueue,
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
): Promise<INodeExecutionData[]> {
	if (queue.asTool) return toolAnswer(error, itemIndex);
	if (queue.continueOnFail) return [errorOutputItem(error, itemIndex)];
	throw await whenHeard(queue, error);
}

/** An item's error, to throw once RoutingNode listens for it (see `inBatches`). */
export async function whenHeard(queue: RunQueue, error: Error): Promise<Error> {
	if (queue.inBatches) await queue.attempt.allArrived;
	return error;
}
