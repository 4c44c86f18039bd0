/**
 * The fixtures every node test uses: a sandbox API (sandbox/) per test file or per test, and ways to run the built
 * nodes against it through n8n's engine (harness/engine.ts) with either credential.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { createKantataApi, DEFAULT_TOKEN as KANTATA_TOKEN, isoSeconds } from '../sandbox/kantata';
import type { ExternalPayment } from '../sandbox/kantata';
import { createMoneybirdApi, DEFAULT_OAUTH_CLIENT, DEFAULT_TOKEN, MONEYBIRD_SCOPES, MONEYBIRD_SEED, moneybirdTokenUrl } from '../sandbox/moneybird';
import type { MoneybirdState } from '../sandbox/moneybird';
import { requestsTo } from '../sandbox/server';
import type { RecordedRequest, SandboxApi } from '../sandbox/server';
import { TestCredentials } from './harness/credentials';
import { loadPackages, runNode } from './harness/engine';
import type { NodeRun, NodeSettings } from './harness/engine';
import { nodeType } from './harness/packages';
import { poller } from './harness/poll';
import { byId } from './harness/resourceLocator';

export { byId };

// ---- Kantata OX ----

/** A Kantata OX Create of project 101 from rows with an `amount` and a `key`, Skip If Already Recorded on. */
export const keyedKantataCreate = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	project: byId('101'),
	recordFor: 'amount',
	amount: '={{ $json.amount }}',
	paymentKey: '={{ $json.key }}',
	options: { skipIfAlreadyRecorded: true },
	...extra,
});

export const KANTATA_OAUTH_TOKEN = 'kantata-oauth-access-token';

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
		state.addToken(KANTATA_OAUTH_TOKEN);
		server.resetLog();
		server.clearFaults();
		server.latencyMs = 0;
		server.rateLimit = undefined;
	});

	const credentials = {
		token: (): Record<string, ICredentialDataDecryptedObject> => ({
			kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: server.url },
		}),
		oAuth2: (): Record<string, ICredentialDataDecryptedObject> => ({
			kantataOxOAuth2Api: {
				baseUrl: server.url,
				clientId: 'kantata-client',
				clientSecret: 'kantata-client-secret',
				grantType: 'authorizationCode',
				authentication: 'body',
				oauthTokenData: { access_token: KANTATA_OAUTH_TOKEN, token_type: 'bearer' },
			},
		}),
	};

	async function run(
		parameters: INodeParameters,
		options: { items?: IDataObject[]; continueOnFail?: boolean; oAuth2?: boolean; executeOnce?: boolean; settings?: NodeSettings } = {},
	): Promise<NodeRun> {
		return await runNode({
			type: 'kantataOx',
			parameters: { authentication: options.oAuth2 ? 'oAuth2' : 'accessToken', resource: 'externalPayment', ...parameters },
			credentials: options.oAuth2 ? credentials.oAuth2() : credentials.token(),
			items: options.items,
			continueOnFail: options.continueOnFail,
			executeOnce: options.executeOnce,
			settings: options.settings,
		});
	}

	/** Requests to external payments only (pickers and credential tests aside). */
	const paymentRequests = () => server.requests.filter((r) => r.path.includes('/external_payments'));

	return { server, state, credentials, run, paymentRequests };
}

/**
 * The Kantata OX Trigger against a Kantata fixture whose clock the test sets (`at`): whole seconds of
 * created_at/updated_at are what the trigger's watermark works with.
 */
export function kantataTriggerFixture() {
	const kantata = kantataFixture();
	const START = Date.parse('2025-03-01T10:00:00Z');
	let clock = START;
	/** Sets the fake API's clock, which stamps created_at and updated_at. */
	const at = (secondsAfterStart: number, ms = 0) => {
		clock = START + secondsAfterStart * 1000 + ms;
	};
	beforeEach(() => {
		at(0);
		kantata.state.now = () => new Date(clock);
	});

	return {
		kantata,
		at,
		stamp: (secondsAfterStart: number) => isoSeconds(START + secondsAfterStart * 1000),
		listing: requestsTo('GET', '/api/v1/external_payments.json'),
		trigger: async (parameters: INodeParameters = {}, options: { oAuth2?: boolean } = {}) =>
			await poller({
				type: 'kantataOxTrigger',
				parameters: { authentication: options.oAuth2 ? 'oAuth2' : 'accessToken', ...parameters },
				credentials: options.oAuth2 ? kantata.credentials.oAuth2() : kantata.credentials.token(),
			}),
		/** Records `count` payments at the fake clock's current time; returns their IDs. */
		pay: (count = 1, payment: Partial<ExternalPayment> = {}): string[] =>
			Array.from({ length: count }, () => kantata.state.addPayment({ workspace_id: '101', ...payment }).id),
		/** A payment changed now: same ID, new amount, `updated_at` from the fake clock. */
		update: (id: string, amount: number): void => {
			const payment = kantata.state.getPayment(id)!;
			kantata.state.addPayment({ ...payment, amount_in_cents: amount, updated_at: isoSeconds(clock) });
		},
		/** Payment requests since the last call, as their query parameters. */
		sentQueries: (): Array<Record<string, string>> => {
			const queries = kantata.paymentRequests().map((request) => request.query);
			kantata.server.resetLog();
			return queries;
		},
	};
}

/** The IDs a poll emitted. */
export const ids = (output: INodeExecutionData[][] | null) => (output?.[0] ?? []).map((item) => item.json.id);
/** IDs `from` to `to` as strings. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

// ---- Moneybird ----

export const SEED = MONEYBIRD_SEED;
export const ADM = SEED.administrations.main;
export const INV = SEED.invoices.open121;
export const MONEYBIRD_OAUTH_TOKEN = 'moneybird-oauth-access-token';
export const MONEYBIRD_OAUTH_REFRESH_TOKEN = 'moneybird-oauth-refresh-token';

export const paymentsPath = (invoice: string = INV, administration: string = ADM) =>
	`/api/v2/${administration}/external_sales_invoices/${invoice}/payments.json`;

/** A Create with only the required fields and the options users get (Refuse Overpayment on). */
export const createParameters = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	administration: byId(ADM),
	invoice: byId(INV),
	paymentDate: '2025-03-01',
	amount: '121.00',
	...extra,
});

/**
 * The same with Refuse Overpayment off, for tests of the create's own request, its errors, its pacing or its
 * faults: with it on, the invoice is read before the create (moneybird.overpayment.test.ts tests that).
 */
export const createAlone = (extra: INodeParameters = {}): INodeParameters =>
	createParameters({ ...extra, options: { refuseOverpayment: false, ...(extra.options as INodeParameters | undefined) } });

/** The whole text of an error as a user would see it (message and description). */
export const errorText = (error: ExecutionError | Error | undefined): string =>
	`${error?.message ?? ''} ${(error as { description?: string } | undefined)?.description ?? ''}`;

type Credentials = Record<string, ICredentialDataDecryptedObject>;

export interface RunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
	settings?: NodeSettings;
	oAuth2?: boolean;
	/** Token of the access-token credential (default: the seeded one). */
	accessToken?: string;
}

/**
 * A fresh fake Moneybird API for every test, and ways to run the built Moneybird node against it: whole runs
 * through n8n's engine, and the node's picker methods in n8n-core's real LoadOptionsContext.
 */
export function moneybirdFixture() {
	let current: SandboxApi<MoneybirdState> | undefined;
	beforeEach(async () => {
		current = createMoneybirdApi();
		await current.server.start();
		current.state.addToken(MONEYBIRD_OAUTH_TOKEN, MONEYBIRD_SCOPES, { refreshToken: MONEYBIRD_OAUTH_REFRESH_TOKEN });
	});
	afterEach(async () => {
		await current?.server.stop();
		current = undefined;
	});
	const api = (): SandboxApi<MoneybirdState> => {
		if (!current) throw new Error('the Moneybird API is started in beforeEach');
		return current;
	};

	const credentials = {
		token: (accessToken = DEFAULT_TOKEN): Credentials => ({
			moneybirdApi: { accessToken, baseUrl: api().server.url },
		}),
		oAuth2: (accessToken = MONEYBIRD_OAUTH_TOKEN, refreshToken = MONEYBIRD_OAUTH_REFRESH_TOKEN): Credentials => ({
			moneybirdOAuth2Api: {
				baseUrl: api().server.url,
				accessTokenUrl: moneybirdTokenUrl(api().server),
				clientId: DEFAULT_OAUTH_CLIENT.clientId,
				clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret,
				oauthTokenData: { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer' },
			},
		}),
	};

	const credentialsFor = (options: RunOptions) =>
		options.oAuth2 ? credentials.oAuth2() : credentials.token(options.accessToken);

	async function run(parameters: INodeParameters, options: RunOptions = {}): Promise<NodeRun> {
		return await runNode({
			type: 'moneybird',
			parameters: {
				authentication: options.oAuth2 ? 'oAuth2' : 'accessToken',
				resource: 'externalSalesInvoicePayment',
				...parameters,
			},
			credentials: credentialsFor(options),
			items: options.items,
			continueOnFail: options.continueOnFail,
			settings: options.settings,
		});
	}

	/** Requests to payments (creates and deletes), in the order they arrived. */
	const paymentRequests = (): RecordedRequest[] => api().server.requests.filter((r) => r.path.includes('/payments'));

	/**
	 * The node's `methods` called as n8n calls them: on the loaded package's node type, with n8n-core's own
	 * LoadOptionsContext (its getNodeParameter, getCurrentNodeParameter, getCredentials and request helpers,
	 * OAuth2 refresh included) over a workflow holding just this node with the given parameters.
	 */
	async function methods(parameters: INodeParameters, options: RunOptions = {}) {
		const loader = await loadPackages();
		const moneybird = loader.nodeTypes.moneybird.type as INodeType;
		const nodeTypes: INodeTypes = {
			getByName: () => moneybird,
			getByNameAndVersion: () => moneybird,
			getKnownTypes: () => ({}),
		};
		const given = credentialsFor(options);
		const node: INode = {
			id: 'node-under-test',
			name: 'Moneybird',
			type: nodeType('moneybird'),
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: options.oAuth2 ? 'oAuth2' : 'accessToken',
				resource: 'externalSalesInvoicePayment',
				...parameters,
			},
			credentials: Object.fromEntries(Object.keys(given).map((type) => [type, { id: type, name: type }])),
		};
		// The Workflow fills in the parameters' defaults, as the editor has them when it asks for a list.
		const workflow = new Workflow({ id: 'picker', nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
		const credentialTypes = Object.fromEntries(
			Object.entries(loader.credentialTypes).map(([name, { type }]) => [name, type]),
		);
		const credentialsHelper = new TestCredentials(credentialTypes, given);
		const additionalData = {
			credentialsHelper,
			currentNodeParameters: workflow.getNode(node.name)!.parameters,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = (path: string) => new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, path);
		const { listSearch = {}, loadOptions = {} } = moneybird.methods ?? {};
		return {
			credentials: credentialsHelper,
			listSearch: async (method: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> =>
				await listSearch[method].call(context(`parameters.${method}`), filter, paginationToken),
			loadOptions: async (method: string): Promise<INodePropertyOptions[]> =>
				await loadOptions[method].call(context(`parameters.additionalFields.${method}`)),
		};
	}

	return { api, credentials, run, paymentRequests, methods };
}
