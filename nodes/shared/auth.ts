import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IDataObject,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	INodeProperties,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { operationError } from './errors';
import { redact, secretsOf } from './redaction';

/*
 * Everything about credentials: which one a node uses, where its token may go, how the token is sent, and how
 * an OAuth2 token is renewed.
 */

/** The Authentication selector between a service's personal token and its OAuth2 credential. */
export const authenticationParameter: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Access Token', value: 'accessToken' },
		{ name: 'OAuth2', value: 'oAuth2' },
	],
	default: 'accessToken',
};

/** The credential type the node's Authentication parameter selects: `<prefix>Api` or `<prefix>OAuth2Api`. */
export function credentialTypeOf(
	context: IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions,
	credentialPrefix: string,
): string {
	const authentication = context.getNodeParameter('authentication', 'accessToken') as string;
	return `${credentialPrefix}${authentication === 'oAuth2' ? 'OAuth2Api' : 'Api'}`;
}

/** https anywhere; plain http only to this machine, for local test servers. */
const ALLOWED = /^(https:\/\/[^/@\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^@\s]*)?$/;

/** Tokens go only to an allowed base URL (no user info in it, which could redirect them). */
export function isAllowedBaseUrl(baseUrl: string): boolean {
	return ALLOWED.test(baseUrl);
}

/**
 * The credential's base URL, where every request of the nodes goes (items, pickers, polls); refused unless
 * allowed, so tokens are only sent over https.
 */
export function credentialBaseUrl(node: INode, apiName: string, credentials: IDataObject, itemIndex?: number): string {
	const baseUrl = String(credentials.baseUrl ?? '');
	if (!isAllowedBaseUrl(baseUrl)) {
		throw operationError(node, `The ${apiName} credential's ${HTTPS_REQUIRED}`, {
			itemIndex,
			description: `"${redact(baseUrl, secretsOf(credentials))}" is not allowed: tokens are only sent over https (plain http only to this machine, for local test servers).`,
		});
	}
	return baseUrl;
}

/** What a credential test says for a base URL that is not allowed (n8n 1.x and 2.x show a rule's message as is). */
export const HTTPS_REQUIRED = 'Base URL must start with https:// (http:// only for localhost)';

const IS_ALLOWED = `/${ALLOWED.source}/.test($credentials.baseUrl)`;

/**
 * A credential test request for `path` under the credential's base URL. For a base URL that is not allowed, the
 * request goes nowhere: it reads the `data:` URL `data:,%00` (answered inside n8n's HTTP client, so no token
 * leaves). n8n hands its body over unparsed, as bytes, and the test's `responseSuccessBody` rule finds byte 0 at
 * key `0` and shows {@link HTTPS_REQUIRED}. No answer of the real APIs matches: they are JSON objects, or arrays of
 * objects, never a number at key `0`.
 */
export function baseUrlTest(path: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: `={{ ${IS_ALLOWED} ? $credentials.baseUrl : "" }}`,
			url: `={{ ${IS_ALLOWED} ? "${path}" : "data:,%00" }}`,
		},
		rules: [{ type: 'responseSuccessBody', properties: { key: '0', value: 0, message: HTTPS_REQUIRED } }],
	};
}

export function baseUrlProperty(defaultUrl: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: defaultUrl,
		required: true,
		description: `API address; change it only for a proxy of your own. Must start with https:// (plain http only to localhost, for testing). Default: ${defaultUrl}.`,
	};
}

/**
 * The token credentials' `authenticate`: the personal token as a Bearer header. A function rather than the
 * template `=Bearer {{$credentials.accessToken}}`, because n8n runs a template through its expression engine for
 * every request (a quarter of a millisecond each, the largest per-item cost this package controls in a batch of
 * creates: benchmark case 4). n8n supports both forms alike: credential tests, the editor, the HTTP Request node.
 */
export async function authenticateWithBearerToken(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
	};
}

/**
 * One request of an item with its credential, the answer returned whatever its status, so the caller sees every
 * header (Retry-After and the like). n8n renews an OAuth2 token only when a 401 is thrown, so after a 401 the
 * request goes once more in that mode; a 401 means the API did not act, so this is safe for a create too.
 */
export async function sendWithCredential(
	context: IExecuteSingleFunctions,
	credential: ICredentialsDecrypted,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const send = async (throwOn401: boolean) =>
		(await context.helpers.httpRequestWithAuthentication.call(
			context,
			credential.type,
			{ ...options, headers: { ...options.headers }, qs: { ...options.qs }, returnFullResponse: true, ignoreHttpStatusErrors: !throwOn401 },
			{ credentialsDecrypted: credential },
		)) as IN8nHttpFullResponse;
	const response = await send(false);
	if (response.statusCode === 401 && credential.type.endsWith('OAuth2Api')) return await send(true);
	return response;
}
