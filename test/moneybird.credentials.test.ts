import { testCredential } from './harness/editor';
import { ADM, createAlone, errorText, INV, MONEYBIRD_OAUTH_REFRESH_TOKEN, MONEYBIRD_OAUTH_TOKEN, moneybirdFixture, paymentsPath } from './fixtures';
import { DEFAULT_OAUTH_CLIENT, DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = moneybirdFixture();

describe('Credential tests', () => {
	it('API token: OK for a token Moneybird knows, asking for the administrations', async () => {
		expect(await testCredential('moneybirdApi', fx.credentials.token().moneybirdApi)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const [request] = fx.api().server.requests;
		expect(request).toMatchObject({ method: 'GET', path: '/api/v2/administrations.json' });
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
	});

	it('API token: Error for a token Moneybird does not know', async () => {
		const result = await testCredential('moneybirdApi', fx.credentials.token('wrong-token-0000').moneybirdApi);
		expect(result.status).toBe('Error');
		expect(fx.api().server.requests.map((r) => r.headers.authorization)).toContain('Bearer wrong-token-0000');
	});

	it('API token: Error, and the token not sent, for a base URL that is not https', async () => {
		const result = await testCredential('moneybirdApi', { accessToken: DEFAULT_TOKEN, baseUrl: 'http://example.com/api/v2' });
		expect(result).toEqual({ status: 'Error', message: 'Base URL must start with https:// (http:// only for localhost)' });
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it.each([
		['kantataOxApi', { accessToken: DEFAULT_TOKEN }],
		['moneybirdApi', { accessToken: DEFAULT_TOKEN }],
		['kantataOxOAuth2Api', { oauthTokenData: { access_token: MONEYBIRD_OAUTH_TOKEN, token_type: 'Bearer' } }],
		['moneybirdOAuth2Api', { oauthTokenData: { access_token: MONEYBIRD_OAUTH_TOKEN, token_type: 'Bearer' } }],
	])('%s: "Base URL must start with https:// (http:// only for localhost)" for http:// to another host, ftp:// or user info, nothing sent', async (type, data) => {
		for (const baseUrl of ['http://example.com/api', 'ftp://example.com', `https://user@${new URL(fx.api().server.url).host}/api/v2`]) {
			expect(await testCredential(type, { ...data, baseUrl })).toEqual({ status: 'Error', message: 'Base URL must start with https:// (http:// only for localhost)' });
		}
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it('OAuth2: OK with a connected account', async () => {
		expect((await testCredential('moneybirdOAuth2Api', fx.credentials.oAuth2().moneybirdOAuth2Api)).status).toBe('OK');
		expect(fx.api().server.requests[0].headers.authorization).toBe(`Bearer ${MONEYBIRD_OAUTH_TOKEN}`);
	});

	it('OAuth2: Error when the access token is refused and the refresh token too', async () => {
		const result = await testCredential('moneybirdOAuth2Api', fx.credentials.oAuth2('revoked-access', 'revoked-refresh').moneybirdOAuth2Api);
		expect(result.status).toBe('Error');
		expect(fx.api().server.requests.map((r) => r.path)).toEqual(['/api/v2/administrations.json', '/oauth/token']);
	});
});

describe('The node with the OAuth2 credential', () => {
	it('signs requests with the OAuth2 access token', async () => {
		const result = await fx.run(createAlone(), { oAuth2: true });

		expect(result.error).toBeUndefined();
		expect(fx.paymentRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${MONEYBIRD_OAUTH_TOKEN}`]);
		expect(result.items[0].json).toMatchObject({ invoice_id: INV, administration_id: ADM });
	});

	it('refreshes an expired access token at the token endpoint, stores the new one, and records the payment once', async () => {
		fx.api().state.expireToken(MONEYBIRD_OAUTH_TOKEN);

		const result = await fx.run(createAlone(), { oAuth2: true });

		expect(result.error).toBeUndefined();
		const stored = result.credentials.data.moneybirdOAuth2Api.oauthTokenData as { access_token: string; refresh_token: string };
		expect(stored.access_token).toMatch(/^mb-access-/);
		expect(stored.refresh_token).not.toBe(MONEYBIRD_OAUTH_REFRESH_TOKEN);
		// However many times the old token was refused, it was refreshed once, and only the new token was accepted.
		const requests = fx.api().server.requests;
		const refreshes = requests.filter((r) => r.path === '/oauth/token');
		expect(refreshes).toHaveLength(1);
		const refreshed = new URLSearchParams(refreshes[0].rawBody);
		expect([refreshed.get('grant_type'), refreshed.get('refresh_token')]).toEqual(['refresh_token', MONEYBIRD_OAUTH_REFRESH_TOKEN]);
		const refreshedAt = requests.indexOf(refreshes[0]);
		const before = requests.slice(0, refreshedAt);
		const after = requests.slice(refreshedAt + 1);
		expect(before.length).toBeGreaterThan(0);
		for (const request of [...before, ...after]) {
			expect([request.method, request.path, request.rawBody]).toEqual([
				'POST',
				paymentsPath(),
				'{"payment":{"payment_date":"2025-03-01","price":"121.00"}}',
			]);
		}
		expect(before.map((r) => r.headers.authorization)).toEqual(before.map(() => `Bearer ${MONEYBIRD_OAUTH_TOKEN}`));
		expect(after.map((r) => r.headers.authorization)).toEqual([`Bearer ${stored.access_token}`]);
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
		expect(result.items).toEqual([{ json: fx.api().state.paymentsOf(INV)[0], pairedItem: { item: 0 } }]);
	});

	it('fails plainly, without secrets, when the refresh is refused too', async () => {
		fx.api().state.expireToken(MONEYBIRD_OAUTH_TOKEN);
		fx.api().state.refreshTokens.delete(MONEYBIRD_OAUTH_REFRESH_TOKEN);

		const result = await fx.run(createAlone(), { oAuth2: true });

		expect(result.error).toBeDefined();
		for (const secret of [MONEYBIRD_OAUTH_TOKEN, MONEYBIRD_OAUTH_REFRESH_TOKEN, DEFAULT_OAUTH_CLIENT.clientSecret]) {
			expect(errorText(result.error)).not.toContain(secret);
			expect(JSON.stringify(result.error)).not.toContain(secret);
		}
		expect(fx.api().state.paymentsOf(INV)).toEqual([]);
	});
});
