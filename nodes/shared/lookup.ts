import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { credentialBaseUrl, credentialTypeOf } from './auth';
import { apiError, operationError } from './errors';
import { httpFailureOf } from './httpFailure';
import { redact, secretsOf } from './redaction';
import type { ServiceApi } from './serviceApi';

/** Where a request outside item requests comes from: the editor, a poll, a trigger's webhook methods or delivery. */
export type OutsideItemContext = ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions;

/**
 * A GET outside item requests (the editor's pickers and dropdowns, a trigger's poll), with the node's credential
 * choice and the same base-URL rule and error wording as item requests. No queue and no long waits: a picker is
 * read by a person waiting, and a poll that fails is caught up by the next one.
 */
export async function lookup(
	context: OutsideItemContext,
	api: ServiceApi,
	url: string,
	qs: IDataObject = {},
): Promise<IN8nHttpFullResponse> {
	return await requestOutsideItems(context, api, { method: 'GET', url, qs });
}

export interface OutsideItemRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Failed statuses answered rather than thrown (a DELETE's 404: already gone). */
	accept?: number[];
}

/**
 * One request outside item requests (a trigger registering its webhook): the node's credential, the base-URL
 * rule, the API's refusal in its own words, no token in any error. Answers 204 without a body; any other answer
 * must be JSON.
 */
export async function requestOutsideItems(
	context: OutsideItemContext,
	api: ServiceApi,
	request: OutsideItemRequest,
): Promise<IN8nHttpFullResponse> {
	const credentialType = credentialTypeOf(context, api.credentialPrefix);
	const credentials = await context.getCredentials(credentialType);
	const baseURL = credentialBaseUrl(context.getNode(), api.name, credentials);
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL,
		url: request.url,
		qs: request.qs ?? {},
		json: true,
		returnFullResponse: true,
	};
	if (request.body) options.body = request.body;
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			credentialType,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		const failure = httpFailureOf(error);
		const secrets = secretsOf(credentials);
		if (failure.status === undefined) {
			throw apiError(context.getNode(), { message: `${api.name} could not be reached (${failure.code})` }, { secrets });
		}
		if (request.accept?.includes(failure.status)) return { statusCode: failure.status, headers: {}, body: redact(failure.body, secrets) as IDataObject };
		throw apiError(context.getNode(), api.describeFailure(failure.status, failure.body, options), {
			httpCode: failure.status,
			body: failure.body,
			secrets,
		});
	}
	if (response.statusCode === 204) return response;
	if (response.body === null || typeof response.body !== 'object') {
		throw operationError(context.getNode(), `${api.name} gave an answer that is not JSON`);
	}
	return response;
}

