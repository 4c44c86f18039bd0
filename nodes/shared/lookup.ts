import type {
	IDataObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { credentialBaseUrl, credentialTypeOf } from './auth';
import { apiError, operationError } from './errors';
import { httpFailureOf } from './httpFailure';
import { secretsOf } from './redaction';
import type { ServiceApi } from './serviceApi';

/**
 * A GET outside item requests (the editor's pickers and dropdowns, a trigger's poll), with the node's credential
 * choice and the same base-URL rule and error wording as item requests. No queue and no long waits: a picker is
 * read by a person waiting, and a poll that fails is caught up by the next one.
 */
export async function lookup(
	context: ILoadOptionsFunctions | IPollFunctions,
	api: ServiceApi,
	url: string,
	qs: IDataObject = {},
): Promise<IN8nHttpFullResponse> {
	const credentialType = credentialTypeOf(context, api.credentialPrefix);
	const credentials = await context.getCredentials(credentialType);
	const baseURL = credentialBaseUrl(context.getNode(), api.name, credentials);
	const options: IHttpRequestOptions = { method: 'GET', baseURL, url, qs, json: true, returnFullResponse: true };
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
		throw apiError(context.getNode(), api.describeFailure(failure.status, failure.body, options), {
			httpCode: failure.status,
			body: failure.body,
			secrets,
		});
	}
	if (response.body === null || typeof response.body !== 'object') {
		throw operationError(context.getNode(), `${api.name} gave an answer that is not JSON`);
	}
	return response;
}
