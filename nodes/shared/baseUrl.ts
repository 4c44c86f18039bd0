import type { INodeProperties } from 'n8n-workflow';

/** https anywhere; plain http only to this machine, for local test servers. */
const ALLOWED = /^(https:\/\/[^/@\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^@\s]*)?$/;

/** Tokens go only to an allowed base URL (no user info in it, which could redirect them). */
export function isAllowedBaseUrl(baseUrl: string): boolean {
	return ALLOWED.test(baseUrl);
}

/**
 * The base URL for a credential test request: the credential's own when allowed, otherwise a host under the
 * reserved `.invalid` domain, which never resolves, so the test fails with that name and no token leaves.
 */
export const TESTED_BASE_URL = `={{ /${ALLOWED.source}/.test($credentials.baseUrl) ? $credentials.baseUrl : "https://base-url-must-start-with-https.invalid" }}`;

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
