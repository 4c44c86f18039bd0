import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/** https anywhere; plain http only to this machine, for local test servers. */
const ALLOWED = /^(https:\/\/[^/@\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^@\s]*)?$/;

/** Tokens go only to an allowed base URL (no user info in it, which could redirect them). */
export function isAllowedBaseUrl(baseUrl: string): boolean {
	return ALLOWED.test(baseUrl);
}

/** What a credential test says for a base URL that is not allowed (n8n 1.x and 2.x show a rule's message as is). */
export const HTTPS_REQUIRED = 'Base URL must start with https://';

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
