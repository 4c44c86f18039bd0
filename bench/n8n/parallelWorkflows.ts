/**
 * The workflows of `npm run bench:n8n-parallel`: 1,000 rows → one contender creating a Kantata payment per row.
 * One workflow per contender, cut from the benchmark workflow (bench/n8n/workflows.ts), so each `n8n execute`
 * runs one contender alone and the sandbox's payment count is that contender's: the Kantata OX node with
 * Request Options > Requests in Parallel at 1, 8 or 25, or n8n's HTTP Request node (4.2) with its default options
 * or held by its own Batching option to 25 requests every 50 ms (the pace of 25 in flight against an API 50 ms away).
 */
import { benchWorkflow, CREATE } from './workflows';

export interface Contender {
	/** Workflow id, and the key of the contender's figures. */
	id: string;
	label: string;
	/** The node that does the creates, timed by its `executionTime`. */
	node: string;
	/** The Kantata OX node's Requests in Parallel; undefined for the HTTP Request node. */
	parallel?: number;
	/** The HTTP Request node's Batching option: items per batch and the interval between batches (ms). */
	batching?: { batchSize: number; batchInterval: number };
}

export const CONTENDERS: Contender[] = [
	{ id: 'parallel1', label: 'Kantata OX, 1 at once (default)', node: CREATE.node, parallel: 1 },
	{ id: 'parallel8', label: 'Kantata OX, 8 in parallel', node: CREATE.node, parallel: 8 },
	{ id: 'parallel25', label: 'Kantata OX, 25 in parallel', node: CREATE.node, parallel: 25 },
	{ id: 'parallelhttp', label: 'HTTP Request node 4.2, default options', node: CREATE.httpAllAtOnce },
];

/**
 * The HTTP Request node held to the pace of 25 in flight (printed beside the others, no target): with its defaults
 * it sends every request at once (hundreds in flight), which no cap of 25 can match against a 50 ms API.
 */
export const HTTP_25: Contender = {
	id: 'parallelhttp25',
	label: 'HTTP Request node 4.2, Batching 25 per 50 ms',
	node: CREATE.httpAllAtOnce,
	batching: { batchSize: 25, batchInterval: 50 },
};

/** Run only with `--with-50` (the option's maximum), printed and not written into bench/results.md. */
export const FIFTY: Contender = { id: 'parallel50', label: 'Kantata OX, 50 in parallel', node: CREATE.node, parallel: 50 };

export function parallelWorkflow(setup: { url: string; token: string; creates: number }, contender: Contender) {
	const full = benchWorkflow({ listUrl: setup.url, createUrl: setup.url, token: setup.token, creates: setup.creates, first: 'node' }, contender.id);
	const [rows, split] = ['Payment rows', 'Split rows'];
	const kept = new Set<string>(['Start', rows, split, contender.node]);
	const nodes = full.nodes
		.filter((node) => kept.has(node.name))
		.map((node) => {
			if (node.name === CREATE.node && contender.parallel !== undefined)
				return { ...node, parameters: { ...node.parameters, requestOptions: { requestsInParallel: contender.parallel } } };
			if (node.name === CREATE.httpAllAtOnce && contender.batching)
				return { ...node, parameters: { ...node.parameters, options: { batching: { batch: contender.batching } } } };
			return node;
		});
	const to = (name: string) => [{ node: name, type: 'main', index: 0 }];
	return {
		...full,
		name: `Benchmark parallel creates (${contender.label})`,
		nodes,
		connections: { Start: { main: [to(rows)] }, [rows]: { main: [to(split)] }, [split]: { main: [to(contender.node)] } },
	};
}
