import { NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	ICredentialsDecrypted,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IPollFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { isAllowedBaseUrl } from './baseUrl';
import { apiError, asNodeError, httpFailureOf, operationError, redact, secretsOf } from './errors';
import type { FailureText, HttpFailure as Failure } from './errors';
import { createdInRun, waitForTurn } from './itemQueue';
import { credentialOfRun } from './runCredential';
import { backoffMs, pauseAfterMs, retryAfterMs } from './rateLimits';
import { waitUnlessCancelled } from './wait';

export type RequestData = DeclarativeRestApiSettings.ResultOptions;
export type Send = (options: IHttpRequestOptions) => Promise<IN8nHttpFullResponse>;
export type ToItems = (response: IN8nHttpFullResponse) => Promise<INodeExecutionData[]>;

/** What the shared runner needs to know about one API. */
export interface ServiceApi {
	/** Product name used in messages. */
	name: string;
	/** Credential types are `<prefix>Api` (token) and `<prefix>OAuth2Api`, picked by the Authentication parameter. */
	credentialPrefix: string;
	/** The API's refusal in its own words. */
	describeFailure(status: number, body: unknown, request: IHttpRequestOptions): FailureText;
	/** What a user should check when a create may or may not have been recorded. */
	howToCheckCreate(request: IHttpRequestOptions, sentAt: Date): string;
	/**
	 * For a create whose answer was lost: ask the API whether it was recorded. Returns the recorded record,
	 * `false` when it can tell that nothing was recorded, or `undefined` when it cannot tell. Records in
	 * `createdBefore` were created by earlier items of this run and are never the one sought.
	 */
	findCreated?: (
		this: IExecuteSingleFunctions,
		request: IHttpRequestOptions,
		sentAt: Date,
		send: Send,
		createdBefore: ReadonlySet<string>,
	) => Promise<IDataObject | false | undefined>;
}

/** What one item's operation exchanges with the API beyond its one request: a list's pages, a read before a create. */
export type Exchange = (this: IExecuteSingleFunctions, request: RequestData, send: Send, toItems: ToItems) => Promise<INodeExecutionData[]>;

/** Retries of a read or delete after a transient fault (502, 503, 504, reset, timeout). */
const TRANSIENT_RETRIES = 3;
const TRANSIENT_STATUSES = new Set([502, 503, 504]);
/** The request may have reached the API and been acted on. */
const LOST_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** The request never reached the API: safe to send again, even a create. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 300;

/** When each API host may be asked again, after it said its rate-limit window is used up. */
const resumeAt = new Map<string, number>();

/**
 * The function every request of a node goes through. n8n calls a node's `requestOperations.pagination`
 * around the request when `paginate` is set, and it is the only place that wraps a declarative request, so
 * every operation sets `paginate` and this runner does what the engine does not: items in order after all
 * were checked, rate limits and transient faults waited out, creates never sent twice, errors in the API's
 * words with secrets removed, list paging by the API's own page count, and each output paired to its input.
 */
export function requestRunner(api: ServiceApi, exchange?: Exchange) {
	return async function runRequest(this: IExecutePaginationFunctions, request: RequestData): Promise<INodeExecutionData[]> {
		const turn = await waitForTurn(this);
		try {
			const items = await run(this, api, request, exchange);
			turn.finish();
			const pairedItem = { item: this.getItemIndex() };
			return items.map((item) => ({ ...item, pairedItem }));
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			turn.finish(nodeError);
			throw nodeError;
		}
	};
}

/** The credential type the node's Authentication parameter selects. */
export function credentialTypeOf(
	context: IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions,
	api: ServiceApi,
): string {
	const authentication = context.getNodeParameter('authentication', 'accessToken') as string;
	return `${api.credentialPrefix}${authentication === 'oAuth2' ? 'OAuth2Api' : 'Api'}`;
}

/**
 * The credential's base URL, where every request of both nodes goes (items, pickers, polls); refused unless
 * allowed, so tokens are only sent over https.
 */
export function credentialBaseUrl(node: INode, apiName: string, credentials: IDataObject, itemIndex?: number): string {
	const baseUrl = String(credentials.baseUrl ?? '');
	if (!isAllowedBaseUrl(baseUrl)) {
		throw operationError(node, `The ${apiName} credential's Base URL must start with https://`, {
			itemIndex,
			description: `"${redact(baseUrl, secretsOf(credentials))}" is not allowed: tokens are only sent over https (plain http only to this machine, for local test servers).`,
		});
	}
	return baseUrl;
}

async function run(context: IExecuteSingleFunctions, api: ServiceApi, request: RequestData, exchange?: Exchange) {
	const credentialType = credentialTypeOf(context, api);
	const credential = await credentialOfRun(context, credentialType);
	// Only an error needs the secrets to scrub; read then, they include an OAuth2 token renewed during the run.
	const secrets = async () => secretsOf((await context.getCredentials(credentialType)) as IDataObject);
	// Every request goes to the credential's base URL, whatever an operation's options say.
	const baseURL = credentialBaseUrl(context.getNode(), api.name, credential.data ?? {}, context.getItemIndex());
	const maxWaitMs =
		1000 *
		(context.getNodeParameter('requestOptions.maxRateLimitWait', DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS) as number);
	const target: Target = { api, credentialType, credential, baseURL, secrets, maxWaitMs };
	const send: Send = async (options) => await sendOne(context, target, options, send);
	const toItems: ToItems = async (response) => await applyPostReceive(context, request, response);
	if (exchange) return await exchange.call(context, request, send, toItems);
	return await toItems(await send(request.options as IHttpRequestOptions));
}

/** Where and how one item's requests go. */
interface Target {
	api: ServiceApi;
	credentialType: string;
	credential: ICredentialsDecrypted;
	baseURL: string;
	secrets: () => Promise<string[]>;
	maxWaitMs: number;
}

async function sendOne(
	context: IExecuteSingleFunctions,
	{ api, credentialType, credential, baseURL, secrets, maxWaitMs }: Target,
	options: IHttpRequestOptions,
	send: Send,
): Promise<IN8nHttpFullResponse> {
	const method = (options.method ?? 'GET').toUpperCase();
	const fail = async (text: FailureText, failure?: Failure) =>
		apiError(context.getNode(), text, {
			httpCode: failure?.status,
			body: failure?.body,
			secrets: await secrets(),
			itemIndex: context.getItemIndex(),
		});
	let rateLimitedMs = 0;
	let rateLimitedTimes = 0;
	let retries = 0;
	let checkedCreate = false;
	let tokenRefresh: 'not needed yet' | 'now' | 'done' = 'not needed yet';
	// Statuses come back as answers, so the runner sees their headers (Retry-After and the like). n8n renews
	// an OAuth2 token only when a 401 is thrown, so after a 401 the request goes once more in that mode; a
	// 401 means the API did not act, so this is safe for a create too.
	const request = async (requestOptions: IHttpRequestOptions, throwOn401: boolean) =>
		(await context.helpers.httpRequestWithAuthentication.call(
			context,
			credentialType,
			{
				...requestOptions,
				baseURL,
				headers: { ...requestOptions.headers },
				qs: { ...requestOptions.qs },
				returnFullResponse: true,
				ignoreHttpStatusErrors: !throwOn401,
			},
			{ credentialsDecrypted: credential },
		)) as IN8nHttpFullResponse;

	const wait = async (ms: number) => await waitUnlessCancelled(context, ms);

	const noteCreated = (response: IN8nHttpFullResponse) => {
		const id = (response.body as IDataObject | undefined)?.id;
		if (id !== undefined && id !== null) createdInRun(context).add(String(id));
		return response;
	};

	for (;;) {
		const pause = (resumeAt.get(baseURL) ?? 0) - Date.now();
		if (pause > 0) await wait(pause);
		const sentAt = new Date();
		let failure: Failure;
		const throwOn401 = tokenRefresh === 'now';
		if (throwOn401) tokenRefresh = 'done';
		try {
			const response = await request(options, throwOn401);
			const pauseMs = pauseAfterMs(response.headers);
			if (pauseMs !== undefined) resumeAt.set(baseURL, Date.now() + pauseMs);
			if (response.statusCode === 401 && tokenRefresh === 'not needed yet' && credentialType.endsWith('OAuth2Api')) {
				tokenRefresh = 'now';
				continue;
			}
			if (response.statusCode >= 400) {
				failure = { status: response.statusCode, headers: response.headers, body: response.body };
			} else if (response.statusCode === 204 || isJsonBody(response.body)) {
				return method === 'POST' ? noteCreated(response) : response;
			} else {
				failure = { status: response.statusCode, headers: response.headers, body: response.body, code: 'NOT_JSON' };
			}
		} catch (error) {
			failure = httpFailureOf(error);
			if (failure.code === 'ERR_CANCELED') throw asNodeError(context.getNode(), error);
		}

		if (failure.status === 429) {
			const delay = retryAfterMs(failure.headers) ?? backoffMs(rateLimitedTimes);
			if (rateLimitedMs + delay > maxWaitMs) {
				throw await fail(
					{
						message: `${api.name} rate-limited this request and it gave up after waiting ${seconds(rateLimitedMs)} in total`,
						description: `The API answered 429 (too many requests) ${rateLimitedTimes + 1} times; the next wait (${seconds(delay)}) would pass the limit of ${seconds(maxWaitMs)} set in Request Options > Max Rate Limit Wait. Nothing was recorded for this item.`,
					},
					failure,
				);
			}
			resumeAt.set(baseURL, Date.now() + delay);
			rateLimitedMs += delay;
			rateLimitedTimes++;
			continue;
		}

		const neverSent = failure.code !== undefined && NOT_SENT_CODES.has(failure.code);
		const lostAnswer = failure.code !== undefined && LOST_ANSWER_CODES.has(failure.code);

		if (method === 'POST' && (lostAnswer || (failure.status ?? 0) >= 500 || failure.code === 'NOT_JSON')) {
			const created = checkedCreate
				? undefined
				: await api.findCreated?.call(context, options, sentAt, send, createdInRun(context));
			if (created) return noteCreated({ statusCode: 201, headers: {}, body: created });
			if (created === false) {
				// The API shows no such record: the lost request was not acted on, so sending it again is safe.
				checkedCreate = true;
				continue;
			}
			throw await fail(
				{
					message: `${api.name} may or may not have recorded this item: ${whatHappened(failure)}`,
					description: `The request was sent but no usable answer came back, so it was not sent again (a payment recorded twice is worse than a failed item). ${api.howToCheckCreate(options, sentAt)}`,
				},
				failure,
			);
		}

		const transient = neverSent || lostAnswer || TRANSIENT_STATUSES.has(failure.status ?? 0);
		if (transient && retries < TRANSIENT_RETRIES) {
			await wait(backoffMs(retries, 500, 8000));
			retries++;
			continue;
		}
		// A delete retried after a lost answer finds the record gone: the first attempt did it.
		if (method === 'DELETE' && retries > 0 && failure.status === 404) return { statusCode: 204, headers: {}, body: '' };

		if (failure.code === 'NOT_JSON') {
			throw await fail({ message: `${api.name} gave an answer that is not JSON: ${whatHappened(failure)}` }, failure);
		}
		if (failure.code === 'EAUTH') {
			throw await fail({
				message: `${api.name} did not renew the credential's OAuth2 token`,
				description: 'The access token was refused and renewing it failed. Reconnect the credential.',
			});
		}
		if (failure.status !== undefined) {
			const text = api.describeFailure(failure.status, failure.body, options);
			if (typeof failure.body === 'string' && failure.body.trim() && !text.description) {
				text.description = `The answer was not JSON: ${describeText(failure.body)}`;
			}
			throw await fail(text, failure);
		}
		throw await fail(
			{
				message: `${api.name} could not be reached: ${whatHappened(failure)}`,
				description: retries ? `Tried ${retries + 1} times.` : undefined,
			},
			failure,
		);
	}
}

function whatHappened(failure: Failure): string {
	if (failure.code === 'NOT_JSON') {
		const body = typeof failure.body === 'string' ? failure.body : '';
		return body.trim() === ''
			? `it answered ${failure.status} with an empty body instead of JSON`
			: `it answered ${failure.status} with a body that is not JSON (${describeText(body)})`;
	}
	if (failure.status) return `it answered ${failure.status}`;
	switch (failure.code) {
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection was closed before an answer arrived';
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
			return 'no answer came within the timeout';
		case 'ECONNREFUSED':
			return 'the connection was refused';
		default:
			return `network error ${failure.code}`;
	}
}

function describeText(body: string): string {
	const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
	const start = title ?? body.trim().slice(0, 80).replace(/\s+/g, ' ');
	return `"${start}${!title && body.trim().length > 80 ? '…' : ''}"`;
}

function isJsonBody(body: unknown): boolean {
	return body !== null && typeof body === 'object' && !Buffer.isBuffer(body);
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** Runs the operation's declared `output.postReceive` functions, as RoutingNode would. */
async function applyPostReceive(
	context: IExecuteSingleFunctions,
	request: RequestData,
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body as IDataObject | IDataObject[];
	let items: INodeExecutionData[] = Array.isArray(body) ? body.map((json) => ({ json })) : [{ json: body ?? {} }];
	for (const { actions } of request.postReceive) {
		for (const action of actions) {
			if (typeof action !== 'function') {
				throw new NodeOperationError(context.getNode(), 'Only postReceive functions are supported by this node');
			}
			items = await action.call(context, items, response);
		}
	}
	return items;
}
