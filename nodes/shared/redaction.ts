import type { IDataObject } from 'n8n-workflow';

/**
 * Keys whose value is a secret: the credentials' `accessToken`, and in n8n's OAuth2 data `clientSecret` and
 * `oauthTokenData`'s `access_token`, `refresh_token` and `id_token`; any other token, secret or password by
 * the same naming. Named so, not merely containing the word: `token_type` ("bearer"), `scope` and
 * `accessTokenUrl` are not secrets, and redacting them garbles the API's own words in an error.
 */
const SECRET_KEY = /(token|secret|password)$/i;

/** Shorter values are left alone: a common word in a message is not worth garbling, and no real secret is so short. */
const MIN_SECRET_LENGTH = 8;

/** Credential values that must never be shown: tokens, secrets, passwords, at any depth. */
export function secretsOf(credentials: IDataObject | undefined): string[] {
	const secrets: string[] = [];
	const visit = (value: unknown, secret: boolean) => {
		if (typeof value === 'string') {
			if (secret && value.length >= MIN_SECRET_LENGTH) secrets.push(value);
		} else if (value && typeof value === 'object') {
			for (const [key, child] of Object.entries(value)) visit(child, secret || SECRET_KEY.test(key));
		}
	};
	visit(credentials, false);
	return secrets;
}

/** The value with every secret replaced by `[redacted]`, at any depth. */
export function redact<T>(value: T, secrets: string[]): T {
	if (!secrets.length || value === undefined || value === null) return value;
	if (typeof value === 'string') {
		return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), value as string) as T;
	}
	if (typeof value === 'object') return JSON.parse(redact(JSON.stringify(value), secrets)) as T;
	return value;
}
