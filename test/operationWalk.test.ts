import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { loadPackages } from './harness/engine';
import { selectedEngine } from './harness/engines';

/**
 * Every operation of every action node goes through a request runner (nodes/shared/routingAdapter.ts). A
 * routing that does not would skip the queue, the credential's base URL and every check, and fail with
 * "Invalid URL"; this walk finds one before a user does.
 */

type Routing = NonNullable<INodeProperties['routing']>;

/** Each package's own copy of the shared code recognises the runners its nodes made. */
const isRequestRunner = new Map<string, (pagination: unknown) => boolean>();
beforeAll(async () => {
	for (const root of selectedEngine().packageRoots) {
		const adapter = (await import(`${root}/dist/nodes/shared/routingAdapter.js`)) as { isRequestRunner: (pagination: unknown) => boolean };
		isRequestRunner.set(root, adapter.isRequestRunner);
	}
});

/** Every routing in a description, named by where it is, options and nested collections included. */
function routings(properties: Array<INodeProperties | INodePropertyOptions | INodePropertyCollection>, where = ''): Array<[string, Routing]> {
	const found: Array<[string, Routing]> = [];
	for (const property of properties) {
		const name = `${where}${'displayName' in property ? property.displayName : property.name}`;
		if ('routing' in property && property.routing) found.push([name, property.routing]);
		const nested = 'options' in property ? property.options : 'values' in property ? property.values : undefined;
		if (Array.isArray(nested)) found.push(...routings(nested as INodeProperties[], `${name} › `));
	}
	return found;
}

/**
 * A routing that makes a request: an operation's. A parameter's routing that only places its value (a query
 * property, a Limit's `maxResults`) shapes the operation's request and is left alone.
 */
const sends = (routing: Routing) =>
	routing.request !== undefined || routing.operations !== undefined || routing.send?.paginate !== undefined || routing.send?.preSend !== undefined;

type Node = [name: string, description: INodeTypeDescription, isRequestRunner: (pagination: unknown) => boolean];

/** What is wrong with a node's routings: each that sends a request without a request runner. */
function problems([, description, isRunner]: Node): string[] {
	const wrong: string[] = [];
	for (const property of description.properties.filter((p) => p.name === 'operation')) {
		for (const option of (property.options ?? []) as INodePropertyOptions[]) {
			if (!option.routing || !sends(option.routing)) wrong.push(`Operation › ${option.name}: no request routing`);
		}
	}
	for (const [where, routing] of routings(description.properties)) {
		if (!sends(routing)) continue;
		if (routing.send?.paginate !== true) wrong.push(`${where}: send.paginate is not true`);
		if (!isRunner(routing.operations?.pagination)) wrong.push(`${where}: its pagination is not a request runner`);
	}
	return wrong;
}

/** The action nodes, as n8n loads them: declarative, with routings; each with its package's runner check. */
async function actionNodes(): Promise<Node[]> {
	const { loaders } = await loadPackages();
	return loaders
		.flatMap((loader) =>
			Object.entries(loader.nodeTypes).map(([name, { type }]): Node => [name, (type as INodeType).description, isRequestRunner.get(loader.directory)!]),
		)
		.filter(([, description]) => routings(description.properties).length > 0);
}

describe('every operation goes through a request runner', () => {
	it('finds the two action nodes and every operation of theirs', async () => {
		const nodes = await actionNodes();
		expect(nodes.map(([name]) => name).sort()).toEqual(['kantataOx', 'moneybird']);
		const operations = nodes.flatMap(([name, description]) =>
			routings(description.properties)
				.filter(([, routing]) => sends(routing))
				.map(([where]) => `${name}: ${where}`),
		);
		expect(operations.sort()).toEqual([
			'kantataOx: Operation › Create',
			'kantataOx: Operation › Delete',
			'kantataOx: Operation › Get',
			'kantataOx: Operation › Get Many',
			'moneybird: Operation › Create',
			'moneybird: Operation › Delete',
			'moneybird: Operation › Get',
			'moneybird: Operation › Get Many',
			'moneybird: Operation › Get Many',
		]);
	});

	it.each(['kantataOx', 'moneybird'])('%s: every routing sets paginate and names a request runner', async (name) => {
		const node = (await actionNodes()).find(([nodeName]) => nodeName === name)!;
		expect(problems(node)).toEqual([]);
	});

	it('the walk fails for an operation without paginate, with a pagination that is no request runner, or without routing', async () => {
		const [name, description, isRunner] = (await actionNodes())[0];
		const broken = structuredCloneOf(description);
		const operation = broken.properties.find((property) => property.name === 'operation')!;
		const [first, second, third] = operation.options as INodePropertyOptions[];
		first.routing = { ...first.routing, send: { ...first.routing!.send, paginate: undefined } };
		second.routing = { ...second.routing, operations: { pagination: async () => [] } };
		delete third.routing;
		expect(problems([name, broken, isRunner])).toEqual([
			`Operation › ${third.name}: no request routing`,
			`Operation › ${first.name}: send.paginate is not true`,
			`Operation › ${second.name}: its pagination is not a request runner`,
		]);
	});
});

/** A copy whose routings can be changed without touching the loaded node (functions kept as they are). */
function structuredCloneOf(description: INodeTypeDescription): INodeTypeDescription {
	return {
		...description,
		properties: description.properties.map((property) => ({
			...property,
			options: property.options?.map((option) => ({ ...option })) as INodeProperties['options'],
		})),
	};
}
