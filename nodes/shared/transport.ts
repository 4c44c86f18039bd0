import type { ICredentialsDecrypted, IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { credentialBaseUrl, sendWithCredential } from './auth';
import { apiError, asNodeError } from './errors';
import type { FailureText } from './errors';
import { describeText, httpFailureOf, isJsonBody, whatHappened } from './httpFailure';
import type { HttpFailure } from './httpFailure';
import { secretsOf } from './redaction';
import { decide, NO_ATTEMPTS, pauseAfterMs } from './retryPolicy';
import type { Attempts } from './retryPolicy';
import type { RunMemory } from './runMemory';
import { rateLimitWaitsOf } from './runQueue';
import type { RateLimitWaits } from './runQueue';
import type { Send, ServiceApi } from './serviceApi';
import { waitUnlessCancelled } from './wait';

const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 300;

/** When each API host may be asked again, after it said its rate-limit window is used up. */
const resumeAt = new Map<string, number>();

/**
 * The `send` of one item: every request goes to the credential's base URL, waits while the host's rate-limit
 * window is used up, and after a failure does what the retry policy (retryPolicy.ts) decides. Errors are in
 * the API's words with the credential's secrets removed. `memory` is what the run keeps across n8n's tries:
 * the IDs it created, and the creates whose answer was lost, looked for again before any resend.
 */
export function itemSender(
	context: IExecuteSingleFunctions,
	api: ServiceApi,
	credential: ICredentialsDecrypted,
	memory: RunMemory,
): Send {
	const itemIndex = context.getItemIndex();
	const baseURL = credentialBaseUrl(context.getNode(), api.name, credential.data ?? {}, itemIndex);
	const maxWaitMs =
		1000 * (context.getNodeParameter('requestOptions.maxRateLimitWait', DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS) as number);
	// The bound is the item's: its requests (a listing's pages, a read before a create) share it.
	const waited = rateLimitWaitsOf(context);
	// Only an error needs the secrets to scrub; read then, they include an OAuth2 token renewed during the run.
	const secrets = async () => secretsOf((await context.getCredentials(credential.type)) as IDataObject);
	const fail = async (text: FailureText, failure?: HttpFailure) =>
		apiError(context.getNode(), text, {
			httpCode: failure?.status,
			body: failure?.body,
			secrets: await secrets(),
			itemIndex,
		});
	const wait = async (ms: number) => await waitUnlessCancelled(context, ms);
	const noteCreated = (response: IN8nHttpFullResponse) => {
		const id = api.createdIdOf(response.body);
		if (id !== undefined) memory.created.add(id);
		return response;
	};
	const uncertain = async (options: IHttpRequestOptions, sentAt: Date, failure: HttpFailure) => {
		memory.uncertainCreates.set(itemIndex, sentAt);
		return await fail(uncertainCreate(api, failure, options, sentAt), failure);
	};

	/** A create that an earlier try sent without a usable answer: the API is asked before it is sent again. */
	const recordedByEarlierTry = async (options: IHttpRequestOptions, send: Send) => {
		const sentAt = memory.uncertainCreates.get(itemIndex);
		if (!sentAt) return undefined;
		const found = await api.findCreated?.call(context, options, sentAt, send, memory.created);
		if (found === undefined) throw await uncertain(options, sentAt, { headers: {}, code: 'EARLIER_TRY' });
		memory.uncertainCreates.delete(itemIndex);
		return found ? noteCreated({ statusCode: 201, headers: {}, body: found }) : undefined;
	};

	const send: Send = async (options) => {
		const method = (options.method ?? 'GET').toUpperCase();
		if (method === 'POST') {
			const earlier = await recordedByEarlierTry(options, send);
			if (earlier) return earlier;
		}
		let attempts: Attempts = NO_ATTEMPTS;
		for (;;) {
			// Every rate-limit wait counts toward the item's limit: the 429's own, and a window another request
			// (of this item or another, with any credential for this host) found used up.
			const pause = (resumeAt.get(baseURL) ?? 0) - Date.now();
			if (pause > 0) {
				if (waited.ms + pause > maxWaitMs) throw await fail(gaveUpWaiting(api, waited, pause, maxWaitMs));
				await wait(pause);
				waited.ms += pause;
			}
			const sentAt = new Date();
			const outcome = await sendOnce(context, credential, { ...options, baseURL });
			if ('response' in outcome) {
				if (method !== 'POST') return outcome.response;
				// A create's answer without its record (`{"count":1}`) says nothing of what was recorded: an unreadable answer.
				if (api.createdIdOf(outcome.response.body) !== undefined) return noteCreated(outcome.response);
			}
			const failure = 'failure' in outcome ? outcome.failure : notTheRecord(outcome.response);

			const decision = decide(failure, method, { ...attempts, rateLimitedMs: waited.ms }, maxWaitMs);
			switch (decision.action) {
				case 'waitForRateLimit':
					// Waited (and counted) at the top of the loop, like any window found used up.
					resumeAt.set(baseURL, Math.max(resumeAt.get(baseURL) ?? 0, Date.now() + decision.ms));
					attempts = { ...attempts, rateLimitedTimes: attempts.rateLimitedTimes + 1 };
					waited.times++;
					continue;
				case 'retry':
					await wait(decision.ms);
					attempts = { ...attempts, retries: attempts.retries + 1 };
					continue;
				case 'alreadyDeleted':
					return { statusCode: 204, headers: {}, body: '' };
				case 'lookForCreated': {
					const found = await api.findCreated?.call(context, options, sentAt, send, memory.created);
					if (found) return noteCreated({ statusCode: 201, headers: {}, body: found });
					// The API shows no such record: the lost request was not acted on, so sending it again is safe.
					if (found === false) {
						attempts = { ...attempts, checkedCreate: true };
						continue;
					}
					throw await uncertain(options, sentAt, failure);
				}
				case 'reportUncertainCreate':
					throw await uncertain(options, sentAt, failure);
				case 'giveUpRateLimit':
					throw await fail(gaveUpWaiting(api, { ...waited, times: waited.times + 1 }, decision.nextMs, maxWaitMs), failure);
				case 'fail':
					throw await fail(failureText(api, failure, options, attempts.retries), failure);
			}
		}
	};
	return send;
}

/** A wait for the API's rate limit that would pass Request Options > Max Rate Limit Wait, after the item's `waited`. */
function gaveUpWaiting(api: ServiceApi, waited: RateLimitWaits, nextMs: number, maxWaitMs: number): FailureText {
	const said = waited.times
		? `The API answered 429 (too many requests) ${waited.times} times`
		: 'An earlier answer said the rate-limit window is used up';
	return {
		message: `${api.name} rate-limited this request and it gave up after waiting ${seconds(waited.ms)} in total`,
		description: `${said}; the next wait (${seconds(nextMs)}) would pass the limit of ${seconds(maxWaitMs)} set in Request Options > Max Rate Limit Wait. Nothing was recorded for this item.`,
	};
}

/** One exchange: the usable answer, or what went wrong. A cancelled execution throws. */
async function sendOnce(
	context: IExecuteSingleFunctions,
	credential: ICredentialsDecrypted,
	options: IHttpRequestOptions,
): Promise<{ response: IN8nHttpFullResponse } | { failure: HttpFailure }> {
	let response: IN8nHttpFullResponse;
	try {
		response = await sendWithCredential(context, credential, options);
	} catch (error) {
		const failure = httpFailureOf(error);
		if (failure.code === 'ERR_CANCELED') throw asNodeError(context.getNode(), error);
		return { failure };
	}
	const pauseMs = pauseAfterMs(response.headers);
	if (pauseMs !== undefined) resumeAt.set(String(options.baseURL), Date.now() + pauseMs);
	const { statusCode: status, headers, body } = response;
	if (status >= 400) return { failure: { status, headers, body } };
	if (status === 204 || isJsonBody(body)) return { response };
	return { failure: { status, headers, body, code: 'NOT_JSON' } };
}

function notTheRecord({ statusCode: status, headers, body }: IN8nHttpFullResponse): HttpFailure {
	return { status, headers, body, code: 'NOT_RECORD' };
}

function uncertainCreate(api: ServiceApi, failure: HttpFailure, options: IHttpRequestOptions, sentAt: Date): FailureText {
	return {
		message: `${api.name} may or may not have recorded this item: ${whatHappened(failure)}`,
		description: `The request was sent but no usable answer came back, so it was not sent again (a payment recorded twice is worse than a failed item). ${api.howToCheckCreate(options, sentAt)}`,
	};
}

/** A failure reported as it is: the API's refusal in its words, an unusable answer, or no answer at all. */
function failureText(api: ServiceApi, failure: HttpFailure, options: IHttpRequestOptions, retries: number): FailureText {
	if (failure.code === 'NOT_JSON') return { message: `${api.name} gave an answer that is not JSON: ${whatHappened(failure)}` };
	if (failure.code === 'EAUTH') {
		return {
			message: `${api.name} did not renew the credential's OAuth2 token`,
			description: 'The access token was refused and renewing it failed. Reconnect the credential.',
		};
	}
	if (failure.status !== undefined) {
		const text = api.describeFailure(failure.status, failure.body, options);
		if (typeof failure.body === 'string' && failure.body.trim() && !text.description) {
			text.description = `The answer was not JSON: ${describeText(failure.body)}`;
		}
		return text;
	}
	return { message: `${api.name} could not be reached: ${whatHappened(failure)}`, description: retries ? `Tried ${retries + 1} times.` : undefined };
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}
