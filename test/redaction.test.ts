import { redact, secretsOf } from '../nodes/shared/redaction';

/** Which credential values are secrets: the only words an error loses. */

describe('secretsOf', () => {
	it("takes an OAuth2 credential's client secret and tokens, not its token type, scope, client ID or URLs", () => {
		const credential = {
			clientId: 'moneybird-client-id',
			clientSecret: 'moneybird-client-secret',
			accessTokenUrl: 'https://moneybird.com/oauth/token',
			authUrl: 'https://moneybird.com/oauth/authorize',
			scope: 'sales_invoices settings',
			grantType: 'authorizationCode',
			authentication: 'body',
			baseUrl: 'https://moneybird.com/api/v2',
			oauthTokenData: {
				access_token: 'oauth-access-token-1',
				refresh_token: 'oauth-refresh-token-1',
				id_token: 'oauth-id-token-1',
				token_type: 'bearer',
				scope: 'sales_invoices settings',
				expires_in: 7200,
			},
		};
		expect(secretsOf(credential).sort()).toEqual(['moneybird-client-secret', 'oauth-access-token-1', 'oauth-id-token-1', 'oauth-refresh-token-1']);
	});

	it("takes a token credential's access token, and a password, however deep", () => {
		expect(secretsOf({ accessToken: 'personal-token-1', baseUrl: 'https://api.mavenlink.com/api/v1' })).toEqual(['personal-token-1']);
		expect(secretsOf({ account: { user: 'someone', password: 'p4ssw0rd!' }, api_token: 'api-token-123' }).sort()).toEqual(['api-token-123', 'p4ssw0rd!']);
	});

	it('leaves a value too short to be a secret: it would garble the common word it is', () => {
		expect(secretsOf({ accessToken: 'Bearer', clientSecret: 'none' })).toEqual([]);
	});

	it('an error text keeps its words, its secrets redacted', () => {
		const secrets = secretsOf({ oauthTokenData: { access_token: 'oauth-access-token-1', token_type: 'bearer', scope: 'sales_invoices' } });
		expect(redact('bearer token oauth-access-token-1 lacks scope sales_invoices', secrets)).toBe('bearer token [redacted] lacks scope sales_invoices');
	});
});
