import { sleep } from 'n8n-workflow';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PreSendAction,
} from 'n8n-workflow';

import { credentialTypeOf } from './auth';
import { asItemError, asNodeError, operationError } from './errors';
import type { Exchange, RequestData, Send, ServiceApi } from './serviceApi';
import { itemSender } from './transport';

/*
 * The engine adaptation: how the declarative nodes make n8n's RoutingNode send items one at a time.
 *
 * RoutingNode starts the request of every input item at once. For payments that is wrong twice over: a bad row
 * found after others were sent leaves a half-booked batch, and hundreds of parallel requests only meet the
 * API's rate limit sooner. So every operation sets `paginate`, which routes its request through the node's
 * `requestOperations.pagination` (the runner below, the only hook that wraps a declarative request), and there
 * items wait in a queue and go one at a time, in input order, once every item of the run passed its input
 * checks. Without "Continue On Fail", the first invalid item stops the run before anything is sent, and the
 * first failed request stops every item after it from being sent.
 *
 * What this relies on in RoutingNode, each pinned by a test of that name in test/routingNodeContract*.test.ts
 * on both n8n majors' engines:
 * 1. "requestOperations.pagination is called once per item when paginate is set, with that item index", and
 *    "an operation's own routing.operations.pagination replaces the node's requestOperations.pagination".
 * 2. "every item of a run gets the same getExecuteData() object, listing the run's input items" and "two runs
 *    get two different execute-data objects": the queue and the credential are kept per run on that object.
 * 3. "every item's paginator is entered before any of them returns, and before one timer turn has passed": so
 *    after one timer turn, no item that is coming has not arrived (Execute Once starts fewer than listed).
 * 4. "an item's preSend runs before its paginator, and an item whose preSend rejects never reaches it": the
 *    input checks (checkedFields.ts) run as preSend and report refusals to the queue.
 * 5. "postReceive is not run on what the paginator returns": so the runner applies it, once.
 * 6. "a rejection that is not the engine's NodeApiError is re-wrapped …" and the Continue On Fail tests: how an
 *    item's error and its place in the output come out (errors.ts shapes errors for it; the runner pairs items).
 * 7. "every item's first preSend is entered before one timer turn has passed, even while another item's preSend
 *    is still waiting": a preSend that reads the API first (an invoice found by its reference) holds the queue
 *    closed from its start, so no item is sent while another may still be refused.
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
	/** One timer turn has passed since the first item arrived. */
	quiet: boolean;
	continueOnFail: boolean;
	waiting: Map<number, Waiting>;
	/** Items that are done: sent, failed, or refused by the input checks. */
	settled: Set<number>;
	running: boolean;
	/** IDs of the records this run has created, so a lost answer is never matched to another item's record. */
	created: Set<string>;
	/** The run's credential of each type, read once for all items (behaviour 2). */
	credentials: Map<string, Promise<ICredentialsDecrypted>>;
	/** What the run's items share, computed once (see `oncePerRun`). */
	shared: Map<string, Promise<unknown>>;
	/** Items whose input checks are reading the API: until they are done, nothing is sent (behaviour 7). */
	busy: Set<number>;
	stopError?: Error;
}

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
			quiet: false,
			continueOnFail: context.continueOnFail(),
			waiting: new Map(),
			settled: new Set(),
			created: new Set(),
			credentials: new Map(),
			shared: new Map(),
			busy: new Set(),
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
			// Behaviour 3: one timer turn after the first item, every item that is coming has arrived.
			void sleep(0).then(() => {
				queue.quiet = true;
				pump(queue);
			});
		}
		if (!queue.quiet || queue.busy.size > 0) return;
		queue.open = true;
	}
	if (queue.running || queue.waiting.size === 0) return;
	let next = Infinity;
	for (const index of queue.waiting.keys()) next = Math.min(next, index);
	const waiting = queue.waiting.get(next)!;
	queue.waiting.delete(next);
	queue.running = true;
	waiting.start();
}

/** Lets the next item go, or with an error (and no "Continue On Fail") stops every item after this one. */
function settle(queue: RunQueue, itemIndex: number, error?: Error): void {
	queue.settled.add(itemIndex);
	if (error && !queue.continueOnFail) queue.stopError ??= error;
	pump(queue);
}

/** Resolves when it is this item's turn to send; rejects with the error that stopped the run. */
async function waitForTurn(queue: RunQueue, itemIndex: number): Promise<void> {
	await new Promise<void>((start, stop) => {
		queue.waiting.set(itemIndex, { start, stop });
		pump(queue);
	});
}

/**
 * The credential of one node run, read once for all its items as RoutingNode reads it, and passed with every
 * request so n8n does not load and decrypt it again for each one. (OAuth2 requests still read their own: a
 * renewed token is saved there.)
 */
async function credentialOfRun(context: IExecuteSingleFunctions, queue: RunQueue, type: string): Promise<ICredentialsDecrypted> {
	let credential = queue.credentials.get(type);
	if (!credential) {
		const { id, name } = context.getNode().credentials?.[type] ?? { id: null, name: type };
		credential = context.getCredentials(type).then((data) => ({ id: id ?? '', name, type, data }));
		queue.credentials.set(type, credential);
	}
	return await credential;
}

type Check = (this: IExecuteSingleFunctions, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** A preSend check (behaviour 4): an item it refuses is reported to the queue, so nothing is sent ahead of it. */
export function inputCheck(check: Check): PreSendAction {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		try {
			return await check.call(this, options);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			settle(queueOf(this), this.getItemIndex(), nodeError);
			throw nodeError;
		}
	};
}

/**
 * What every item of a run shares, computed by the first item that asks (e.g. the administration's invoices,
 * listed once to find invoices by reference), with the run's credential and the transport's waits and retries.
 * Its requests are made while the item's input checks run: the queue stays closed until they are done.
 */
export async function oncePerRun<T>(
	context: IExecuteSingleFunctions,
	api: ServiceApi,
	key: string,
	compute: (send: Send) => Promise<T>,
): Promise<T> {
	const queue = queueOf(context);
	let shared = queue.shared.get(key) as Promise<T> | undefined;
	if (!shared) {
		shared = (async () => {
			const credential = await credentialOfRun(context, queue, credentialTypeOf(context, api.credentialPrefix));
			return await compute(itemSender(context, api, credential, queue.created));
		})();
		queue.shared.set(key, shared);
	}
	const itemIndex = context.getItemIndex();
	queue.busy.add(itemIndex);
	try {
		return await shared;
	} finally {
		queue.busy.delete(itemIndex);
		// The items go on with the rest of their checks after this: they have one more timer turn to get there.
		if (queue.busy.size === 0) queue.quiet = queue.quietCheck = false;
		pump(queue);
	}
}

/**
 * A node's `requestOperations.pagination` (or an operation's own, with an `exchange` for lists and reads
 * before a create): every request of an item goes through here, in its turn, with the run's credential, and
 * its output is paired to it.
 */
export function requestRunner(api: ServiceApi, exchange?: Exchange) {
	return async function runRequest(this: IExecutePaginationFunctions, request: RequestData): Promise<INodeExecutionData[]> {
		const queue = queueOf(this);
		const itemIndex = this.getItemIndex();
		await waitForTurn(queue, itemIndex);
		try {
			const credential = await credentialOfRun(this, queue, credentialTypeOf(this, api.credentialPrefix));
			const send = itemSender(this, api, credential, queue.created);
			const toItems = async (response: IN8nHttpFullResponse) => await applyPostReceive(this, request, response);
			const items = exchange
				? await exchange.call(this, request, send, toItems)
				: await toItems(await send(request.options as IHttpRequestOptions));
			queue.running = false;
			settle(queue, itemIndex);
			const pairedItem = { item: itemIndex };
			return items.map((item) => ({ ...item, pairedItem }));
		} catch (error) {
			const itemError = asItemError(this.getNode(), error, itemIndex);
			queue.running = false;
			settle(queue, itemIndex, itemError);
			throw itemError;
		}
	};
}

/** Runs the operation's declared `output.postReceive` functions, as RoutingNode would (behaviour 5). */
async function applyPostReceive(
	context: IExecuteSingleFunctions,
	request: RequestData,
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body as IDataObject | IDataObject[];
	let items: INodeExecutionData[] = Array.isArray(body) ? body.map((json) => ({ json })) : [{ json: body ?? {} }];
	for (const { actions } of request.postReceive) {
		for (const action of actions) {
			if (typeof action !== 'function') throw operationError(context.getNode(), 'Only postReceive functions are supported by this node');
			items = await action.call(context, items, response);
		}
	}
	return items;
}
