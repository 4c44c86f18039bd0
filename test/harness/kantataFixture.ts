import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { createKantataApi, DEFAULT_TOKEN } from '../../sandbox/kantata';
import { runNode } from './engine';
import type { NodeRun } from './engine';

export const OAUTH_ACCESS_TOKEN = 'kantata-oauth-access-token';

/** A resource locator value, as the editor stores one. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/**
 * A started Kantata API for a test file (reset before each test) and a way to run the Kantata OX node
 * against it with either credential.
 */
export function kantataFixture() {
	const { server, state } = createKantataApi();
	beforeAll(async () => {
		await server.start();
	});
	afterAll(async () => {
		await server.stop();
	});
	beforeEach(() => {
		state.reset();
		state.addToken(OAUTH_ACCESS_TOKEN);
		server.resetLog();
		server.clearFaults();
		server.latencyMs = 0;
		server.rateLimit = undefined;
	});

	const credentials = {
		token: (): Record<string, ICredentialDataDecryptedObject> => ({
			kantataOxApi: { accessToken: DEFAULT_TOKEN, baseUrl: server.url },
		}),
		oAuth2: (): Record<string, ICredentialDataDecryptedObject> => ({
			kantataOxOAuth2Api: {
				baseUrl: server.url,
				clientId: 'kantata-client',
				clientSecret: 'kantata-client-secret',
				grantType: 'authorizationCode',
				authentication: 'body',
				oauthTokenData: { access_token: OAUTH_ACCESS_TOKEN, token_type: 'bearer' },
			},
		}),
	};

	async function run(
		parameters: INodeParameters,
		options: { items?: IDataObject[]; continueOnFail?: boolean; oAuth2?: boolean; executeOnce?: boolean } = {},
	): Promise<NodeRun> {
		return await runNode({
			type: 'kantataOx',
			parameters: { authentication: options.oAuth2 ? 'oAuth2' : 'accessToken', resource: 'externalPayment', ...parameters },
			credentials: options.oAuth2 ? credentials.oAuth2() : credentials.token(),
			items: options.items,
			continueOnFail: options.continueOnFail,
			executeOnce: options.executeOnce,
		});
	}

	/** Requests to external payments only (pickers and credential tests aside). */
	const paymentRequests = () => server.requests.filter((r) => r.path.includes('/external_payments'));

	return { server, state, credentials, run, paymentRequests };
}
