/**
 * The benchmark workflow: the same two jobs done by this package's Kantata OX node and by n8n's HTTP Request node,
 * in one workflow so one `n8n execute` (one CLI start-up) measures every contender of a round. Each contender's
 * time is its `executionTime` in the stored run data. n8n's v1 execution order runs the branches top to bottom,
 * so `first` decides which contender meets the machine first; rounds alternate it.
 */
import { nodeType } from '../../test/harness/packages';

export const PACKAGE_NODE = nodeType('kantataOx');
/** Two API servers, one answering pages after 20 ms and one answering creates after 5 ms: a credential each. */
export const BENCH_CREDENTIALS = {
	list: { id: 'benchKantataList', name: 'Kantata OX (bench, lists)' },
	create: { id: 'benchKantataCreate', name: 'Kantata OX (bench, creates)' },
};

export const LIST = { node: 'Kantata Return All', http: 'HTTP Request Return All' } as const;
export const CREATE = {
	node: 'Kantata Create',
	httpAllAtOnce: 'HTTP Request Create (all at once)',
	loop: 'Loop Over Items',
	httpOneAtATime: 'HTTP Request Create (one at a time)',
} as const;
const ROWS = ['Payment rows', 'Split rows'] as const;

export type First = 'node' | 'http';

/** The Kantata OX node's Amount: the row's amount, as a user writes it. */
export const AMOUNT_EXPRESSION = '={{ $json.amount }}';

/** The rows the creates send: amounts in the form a user's sheet has them, and the same as cents. */
export function createRows(count: number) {
	return Array.from({ length: count }, (_, i) => ({ amount: ((1000 + i) / 100).toFixed(2), cents: 1000 + i }));
}

interface BenchSetup {
	/** The APIs' base URLs, as in the credentials, e.g. `http://127.0.0.1:4000/api/v1`. */
	listUrl: string;
	createUrl: string;
	token: string;
	creates: number;
	first: First;
}

export function benchWorkflow({ listUrl, createUrl, token, creates, first }: BenchSetup, id: string) {
	const headers = {
		parameters: [
			{ name: 'Authorization', value: `Bearer ${token}` },
			{ name: 'Accept', value: 'application/json' },
		],
	};
	// Rows above run first: the contender placed first takes the top row of its job.
	const [nodeRow, httpRow] = first === 'node' ? [0, 1] : [1, 0];
	const createRequest = {
		method: 'POST',
		url: `${createUrl}/external_payments.json`,
		sendHeaders: true,
		headerParameters: headers,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={ "external_payment": { "workspace_id": "101", "amount_in_cents": {{ $json.cents }} } }',
		options: {},
	};
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
		{
			...node(LIST.node, PACKAGE_NODE, 1, [300, nodeRow * 200], {
				authentication: 'accessToken',
				resource: 'externalPayment',
				operation: 'getAll',
				returnAll: true,
				filters: {},
				options: {},
			}),
			credentials: { kantataOxApi: BENCH_CREDENTIALS.list },
		},
		node(LIST.http, 'n8n-nodes-base.httpRequest', 4.2, [300, httpRow * 200], {
			url: `${listUrl}/external_payments.json`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'per_page', value: '200' }] },
			sendHeaders: true,
			headerParameters: headers,
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: '={{ $response.body.meta.page_count <= $pageCount }}',
					},
				},
			},
		}),
		// The rows as literal JSON, split into items: no Code node, so no sandbox or task runner in the way.
		node(ROWS[0], 'n8n-nodes-base.set', 3.4, [300, 600], {
			mode: 'raw',
			jsonOutput: JSON.stringify({ rows: createRows(creates) }),
			options: {},
		}),
		node(ROWS[1], 'n8n-nodes-base.splitOut', 1, [500, 600], { fieldToSplitOut: 'rows', options: {} }),
		{
			...node(CREATE.node, PACKAGE_NODE, 1, [800, 600 + nodeRow * 200], {
				authentication: 'accessToken',
				resource: 'externalPayment',
				operation: 'create',
				project: { __rl: true, mode: 'id', value: '101' },
				recordFor: 'amount',
				amount: AMOUNT_EXPRESSION,
				options: {},
			}),
			credentials: { kantataOxApi: BENCH_CREDENTIALS.create },
		},
		// n8n's HTTP Request node starts every item's request at once; payments go one at a time, which in n8n
		// takes Loop Over Items with a batch of 1. Both are measured.
		node(CREATE.httpAllAtOnce, 'n8n-nodes-base.httpRequest', 4.2, [800, 600 + httpRow * 200], createRequest),
		node(CREATE.loop, 'n8n-nodes-base.splitInBatches', 3, [800, 1000], { batchSize: 1, options: {} }),
		node(CREATE.httpOneAtATime, 'n8n-nodes-base.httpRequest', 4.2, [1000, 1100], createRequest),
	];
	const to = (name: string) => [{ node: name, type: 'main', index: 0 }];
	const connections = {
		Start: { main: [[...to(LIST.node), ...to(LIST.http), ...to(ROWS[0])]] },
		[ROWS[0]]: { main: [to(ROWS[1])] },
		[ROWS[1]]: { main: [[...to(CREATE.node), ...to(CREATE.httpAllAtOnce), ...to(CREATE.loop)]] },
		[CREATE.loop]: { main: [[], to(CREATE.httpOneAtATime)] },
		[CREATE.httpOneAtATime]: { main: [to(CREATE.loop)] },
	};
	return { id, name: `Benchmark (${first} first)`, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

function node(name: string, type: string, typeVersion: number, position: [number, number], parameters: object) {
	return { id: `${name.replace(/\W+/g, '-').toLowerCase()}`, name, type, typeVersion, position, parameters };
}

/**
 * The benchmark workflow cut down to this package's creates, for `npm run bench:n8n-profile`. `amount` replaces
 * the Amount parameter's expression (e.g. with a fixed '10.00', to measure what evaluating it costs).
 */
export function profileWorkflow(setup: Omit<BenchSetup, 'first'>, id: string, amount?: string) {
	const full = benchWorkflow({ ...setup, first: 'node' }, id);
	if (amount !== undefined) {
		const create = full.nodes.find((node) => node.name === CREATE.node)!;
		create.parameters = { ...create.parameters, amount };
	}
	const kept = new Set<string>(['Start', ...ROWS, CREATE.node]);
	const to = (name: string) => [{ node: name, type: 'main', index: 0 }];
	return {
		...full,
		name: `Benchmark profile (Kantata OX creates${amount === undefined ? '' : `, amount ${amount}`})`,
		nodes: full.nodes.filter((node) => kept.has(node.name)),
		connections: { Start: { main: [to(ROWS[0])] }, [ROWS[0]]: { main: [to(ROWS[1])] }, [ROWS[1]]: { main: [to(CREATE.node)] } },
	};
}
