/**
 * The browser test's credential checks: n8n's own credential test (its REST endpoint, and the editor's modal that
 * runs it on opening) for the sandbox credentials, for a non-https copy of each type, and for an OAuth2 credential
 * not connected yet.
 */
import { SANDBOX_CREDENTIALS } from './n8nImports';
import { equal } from './uiRun';
import type { UiRun } from './uiRun';

const HTTPS_REQUIRED = 'Base URL must start with https:// (http:// only for localhost)';

/** Credential data with an http:// base URL for each type (the OAuth2 ones connected, as after Connect). */
const NON_HTTPS: Record<string, Record<string, unknown>> = {
	kantataOxApi: { accessToken: 'kantata-test-token', baseUrl: 'http://kantata.example.com/api/v1' },
	moneybirdApi: { accessToken: 'moneybird-test-token', baseUrl: 'http://moneybird.example.com/api/v2' },
	kantataOxOAuth2Api: { clientId: 'c', clientSecret: 's', baseUrl: 'http://kantata.example.com/api/v1', oauthTokenData: { access_token: 'a', token_type: 'Bearer' } },
	moneybirdOAuth2Api: { clientId: 'c', clientSecret: 's', baseUrl: 'http://moneybird.example.com/api/v2', oauthTokenData: { access_token: 'a', token_type: 'Bearer' } },
};

/** What the editor sends to /rest/credentials/test: the stored credential with its (redacted) data. */
async function credentialBody(ui: UiRun, id: string) {
	const credential = await ui.rest<{ id: string; name: string; type: string; data: Record<string, unknown> }>('GET', `/credentials/${id}?includeData=true`);
	return { id: credential.id, name: credential.name, type: credential.type, data: credential.data };
}

export async function checkCredentials(ui: UiRun): Promise<void> {
	const testResult = async (id: string) => await ui.rest<{ status: string; message: string }>('POST', '/credentials/test', { credentials: await credentialBody(ui, id) });
	for (const { id, name } of Object.values(SANDBOX_CREDENTIALS)) {
		await ui.check(`credential "${name}" tests OK in the editor`, async () => {
			equal(await testResult(id), { status: 'OK', message: 'Connection successful!' }, 'REST test');
			return `REST: OK; editor: ${await ui.testCredentialInEditor(id, ['Connection tested successfully'])}`;
		});
	}
	for (const [type, data] of Object.entries(NON_HTTPS)) {
		await ui.check(`credential ${type} with an http:// base URL says "${HTTPS_REQUIRED}"`, async () => {
			const credential = await ui.rest<{ id: string }>('POST', '/credentials', { name: `${type} (http)`, type, data });
			const result = await testResult(credential.id);
			equal(result, { status: 'Error', message: HTTPS_REQUIRED }, 'REST test');
			if (type.includes('OAuth2')) {
				// The editor's modal for a connected OAuth2 credential, for the screenshot (what it shows is not asserted).
				await ui.page.goto(`${ui.dev.url}/home/credentials/${credential.id}`);
				await ui.page.waitForTimeout(3000);
				return `REST: ${result.message}`;
			}
			return `REST: ${result.message}; editor shows: ${await ui.testCredentialInEditor(credential.id, [HTTPS_REQUIRED])}`;
		});
	}
	await ui.check('an OAuth2 credential not connected yet: n8n refuses its test before any request ("Unable to sign without access token"), whatever the base URL', async () => {
		const data = { clientId: 'c', clientSecret: 's', baseUrl: 'http://moneybird.example.com/api/v2' };
		const credential = await ui.rest<{ id: string }>('POST', '/credentials', { name: 'moneybirdOAuth2Api (not connected)', type: 'moneybirdOAuth2Api', data });
		const result = await testResult(credential.id);
		equal(result, { status: 'Error', message: 'Unable to sign without access token' }, 'REST test');
		return `REST: ${result.message}`;
	});
}
