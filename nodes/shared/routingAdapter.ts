import type {
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodePropertyOptions,
	NodeApiError,
	NodeOperationError,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { credentialTypeOf } from './auth';
import { asItemError, asNodeError, operationError } from './errors';
import { identifyingInput, namingTheRow } from './rows';
import { arrive, credentialOfRun, failedItem, finish, pump, settle, waitForTurn, whenHeard } from './runQueue';
import type { RunQueue } from './runQueue';
import type { Exchange, RequestData, Send, ServiceApi } from './serviceApi';
import { itemSender } from './transport';

/*
 * The engine adaptation: how the declarative nodes make n8n's RoutingNode send items one at a time.
 *
 * RoutingNode starts the request of every input item at once. For payments that is wrong twice over: a bad row
 * found after others were sent leaves a half-booked batch, and hundreds of parallel requests only meet the
 * API's rate limit sooner. So every operation declares its routing with `throughRequestRunner`, which routes
 * its request through the runner below (as `paginate` with an operation's `pagination`, the only hook that
 * wraps a declarative request), and there items wait in a queue and go one at a time, in input order, once
 * every item of the run passed its input checks (or up to Request Options > Requests in Parallel at once,
 * still started in input order). Without "Continue On Fail", the first invalid item stops the run before
 * anything is sent, and the first failed request stops every item not yet started.
 *
 * n8n's Retry On Fail runs the node again with the same execute data. The queue then starts a new try: the
 * items an earlier try completed are output as they were and not sent again, the failed item and those after
 * it are sent, and a create whose answer was lost is looked for before it is sent again (transport.ts).
 *
 * What this relies on in RoutingNode, each pinned by a test of that name in test/routingNodeContract*.test.ts
 * on both n8n majors' engines:
 * 1. "requestOperations.pagination is called once per item when paginate is set, with that item index", and
 *    "an operation's own routing.operations.pagination replaces the node's requestOperations.pagination".
 * 2. "every item of a run gets the same getExecuteData() object, listing the run's input items" and "two runs
 *    get two different execute-data objects": the queue and the credential are kept per run on that object.
 *    "Retry On Fail runs the node again with the same execute data, after every item of the failed try
 *    settled": so an item that arrives after it settled starts the run's next try.
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

type Check = (this: IExecuteSingleFunctions, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/**
 * A preSend check (behaviour 4): an item it refuses is reported to the queue, so nothing is sent ahead of it.
 * With Continue On Fail the refused item goes on to the runner, which outputs its error paired to it. An item
 * an earlier try completed, or one already refused, is not checked again: it is not sent either.
 */
export function inputCheck(check: Check): PreSendAction {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		const queue = arrive(this);
		const itemIndex = this.getItemIndex();
		if (queue.memory.completed.has(itemIndex) || queue.attempt.refused.has(itemIndex)) return options;
		try {
			return await check.call(this, options);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			// With Continue On Fail the item settles in the runner, its last step (an item back after it settled
			// is the next try's).
			if (queue.continueOnFail) {
				queue.attempt.refused.set(itemIndex, nodeError);
				return options;
			}
			settle(queue, itemIndex, nodeError);
			throw await whenHeard(queue, nodeError);
		}
	};
}

/**
 * What every item of a run shares, computed by the first item that asks (e.g. the administration's invoices,
 * listed once to find invoices by reference), with the run's credential and the transport's waits and retries.
 * Its requests are made while the item's input checks run: the queue stays closed until they are done. A
 * computation that failed is shared as it is by the items of its try (a failed listing is not asked again for
 * each item), and computed again by the node's next try.
 */
export async function oncePerRun<T>(
	context: IExecuteSingleFunctions,
	api: ServiceApi,
	key: string,
	compute: (send: Send) => Promise<T>,
): Promise<T> {
	const queue = arrive(context);
	let shared = queue.shared.get(key) as Promise<T> | undefined;
	if (!shared) {
		const computed = (async () => await compute(await senderOfRun(context, api, queue)))();
		computed.catch(() => queue.failedShared.add(key));
		queue.shared.set(key, computed);
		shared = computed;
	}
	const itemIndex = context.getItemIndex();
	const attempt = queue.attempt;
	attempt.busy.add(itemIndex);
	try {
		return await shared;
	} finally {
		attempt.busy.delete(itemIndex);
		// The items go on with the rest of their checks after this: they have one more timer turn to get there.
		if (attempt.busy.size === 0) attempt.quiet = attempt.quietCheck = false;
		pump(queue);
	}
}

/** The item's `send` (transport.ts), with the run's credential and what the run keeps across tries. */
async function senderOfRun(context: IExecuteSingleFunctions, api: ServiceApi, queue: RunQueue): Promise<Send> {
	const credential = await credentialOfRun(context, queue, credentialTypeOf(context, api.credentialPrefix));
	return itemSender(context, api, credential, queue.memory);
}

const RUNNERS = new WeakSet<object>();

/** Whether `pagination` is a request runner made here; the operation walk test checks every operation with it. */
export const isRequestRunner = (pagination: unknown): boolean => typeof pagination === 'function' && RUNNERS.has(pagination);

/**
 * A request runner: every request of an item goes through here, in its turn, with the run's credential, and
 * its output is paired to it. `exchange` is for operations that send more than their one request (a list's
 * pages, a read before a create); `oneAtATime` ignores Requests in Parallel. An item an earlier try completed
 * gets its output as it was.
 */
export function requestRunner(api: ServiceApi, exchange?: Exchange, options: { oneAtATime?: boolean } = {}) {
	const runRequest = async function (this: IExecutePaginationFunctions, request: RequestData): Promise<INodeExecutionData[]> {
		const queue = arrive(this);
		if (options.oneAtATime) queue.parallel = 1;
		const itemIndex = this.getItemIndex();
		const earlier = queue.memory.completed.get(itemIndex);
		if (earlier) {
			settle(queue, itemIndex);
			return earlier;
		}
		const refusal = queue.attempt.refused.get(itemIndex);
		if (refusal) {
			settle(queue, itemIndex, refusal);
			return await failedItem(queue, itemIndex, forErrorOutput(this, api, queue, refusal));
		}
		try {
			await waitForTurn(queue, itemIndex);
		} catch (stopped) {
			return await failedItem(queue, itemIndex, asNodeError(this.getNode(), stopped));
		}
		try {
			const send = await senderOfRun(this, api, queue);
			const toItems = async (response: IN8nHttpFullResponse) => await applyPostReceive(this, request, response);
			const items = exchange
				? await exchange.call(this, request, send, toItems)
				: await toItems(await send(request.options as IHttpRequestOptions));
			const pairedItem = { item: itemIndex };
			let output = items.map((item) => ({ ...item, pairedItem }));
			queue.memory.completed.set(itemIndex, output);
			settle(queue, itemIndex, undefined, true);
			const finished = await finishing(this, api, queue, itemIndex);
			if (finished) queue.memory.completed.set(itemIndex, (output = finished.map((item) => ({ ...item, pairedItem }))));
			return output;
		} catch (error) {
			const itemError = asItemError(this.getNode(), error, itemIndex);
			settle(queue, itemIndex, itemError, true);
			return await failedItem(queue, itemIndex, forErrorOutput(this, api, queue, itemError));
		}
	};
	RUNNERS.add(runRequest);
	return runRequest;
}

/** The item's last step (`whenEveryItemSettled`), whose failure is the item's own, as its exchange's would be. */
async function finishing(context: IExecutePaginationFunctions, api: ServiceApi, queue: RunQueue, itemIndex: number) {
	try {
		return await finish(queue, itemIndex);
	} catch (error) {
		queue.memory.completed.delete(itemIndex);
		return await failedItem(queue, itemIndex, forErrorOutput(context, api, queue, asItemError(context.getNode(), error, itemIndex)));
	}
}

/**
 * With Continue On Fail an item's error is its output, often sent on to a person (the error output): its message
 * names the row and what identifies it (rows.ts), since n8n shows an error item's message alone.
 */
function forErrorOutput<E extends NodeApiError | NodeOperationError>(context: IExecuteSingleFunctions, api: ServiceApi, queue: RunQueue, error: E): E {
	if (!queue.asTool) namingTheRow(context, error, identifyingInput(context, api.identifyingFields));
	return error;
}

type Routing = NonNullable<INodePropertyOptions['routing']>;

/**
 * An operation's routing, declared so that its request goes through `runner` (a `requestRunner`) rather than
 * straight to the API: RoutingNode hands a request to an operation's `pagination` only when `paginate` is set,
 * and without it the request would skip the queue, the credential's base URL and every check above.
 */
export function throughRequestRunner(
	runner: ReturnType<typeof requestRunner>,
	routing: { request: NonNullable<Routing['request']>; preSend: PreSendAction[]; postReceive?: PostReceiveAction[] },
): Routing {
	return {
		request: routing.request,
		send: { paginate: true, preSend: routing.preSend },
		operations: { pagination: runner },
		...(routing.postReceive ? { output: { postReceive: routing.postReceive } } : {}),
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
