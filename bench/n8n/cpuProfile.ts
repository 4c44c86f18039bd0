/**
 * Splits a V8 CPU profile of an `n8n execute` run into who spent the time while the Kantata OX node ran: this
 * package's own code, the n8n functions it called (named by the entry the package called), and n8n's work around
 * it (RoutingNode and its expressions, the HTTP client's async continuations, Node's sockets, GC).
 */
import { readFileSync } from 'node:fs';
import { PACKAGES } from '../../test/harness/packages';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Where the packages' code runs from in the user folder: `node_modules/<package>/dist/`. */
const PACKAGE_DISTS = PACKAGES.map(({ name }) => `/${name}/dist/`);

/** The library a frame belongs to, by its file. */
function libraryOf(url: string, functionName: string): string {
	if (PACKAGE_DISTS.some((dist) => url.includes(dist))) return 'this package';
	if (!url) {
		if (functionName === '(garbage collector)') return 'GC';
		if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return functionName;
		return 'native';
	}
	if (url.startsWith('node:')) return 'Node runtime';
	const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
	if (!match) return 'other';
	const [, name, file] = match;
	if (name === 'n8n-workflow' || name === '@n8n/tournament' || name === '@n8n/expression-runtime' || name === 'isolated-vm') {
		return /expression|workflow-data-proxy|tournament|extensions|runtime|isolated/i.test(`${name}/${file}`)
			? 'n8n expressions'
			: 'n8n-workflow (other)';
	}
	if (name === 'n8n-core') {
		if (file.includes('routing-node')) return 'n8n-core RoutingNode';
		if (file.includes('request-helper') || file.includes('http')) return 'n8n-core request pipeline';
		return 'n8n-core (other)';
	}
	if (['axios', 'follow-redirects', 'form-data', 'proxy-from-env', 'http-proxy-agent', 'https-proxy-agent', 'agent-base'].includes(name)) {
		return 'HTTP client (axios & co.)';
	}
	if (name === 'n8n' || name.startsWith('@n8n/')) return 'n8n cli / @n8n packages';
	return `other library (${name})`;
}

const has = (stack: ProfileNode[], name: string, file: string) =>
	stack.some((frame) => frame.callFrame.functionName === name && frame.callFrame.url.includes(file));

/**
 * What a sample was doing, by its whole stack: waiting, n8n evaluating expressions (and for whom), this package's
 * own code, n8n's request pipeline or helpers called by the package, RoutingNode's own work, or the HTTP client's
 * continuations (answers arriving, sockets).
 */
function roleOf(stack: ProfileNode[], libraries: string[]): string {
	const leaf = libraries[0];
	if (leaf === '(idle)') return 'waiting for the API (idle)';
	if (leaf === 'GC') return 'garbage collection';
	if (libraries.includes('n8n expressions') || has(stack, 'getParameterValue', 'workflow-expression')) {
		if (libraries.includes('this package')) return 'n8n expressions: parameters this package reads';
		if (has(stack, 'resolveBaseUrl', 'routing-node')) return "n8n expressions: RoutingNode's base-URL walk (resolveBaseUrl)";
		if (has(stack, 'getRequestOptionsFromParameters', 'routing-node')) return 'n8n expressions: RoutingNode re-reading routed parameters (getNodeParameter)';
		return "n8n expressions: RoutingNode's parameter walk";
	}
	const owner = libraries.find((library) => !['native', 'Node runtime', '(root)', '(program)'].includes(library));
	if (owner === 'this package') return "this package's own code";
	if (libraries.includes('this package')) {
		return stack.some((frame) => /^(httpRequestWithAuthentication|httpRequest)$/.test(frame.callFrame.functionName))
			? 'n8n request pipeline (auth, axios set-up, sending), called by this package'
			: 'n8n helpers called by this package (getNodeParameter, getNode, getCredentials…)';
	}
	if (stack.some((frame) => frame.callFrame.url.includes('routing-node'))) return 'n8n RoutingNode (property walk, display checks, merging)';
	if (owner === 'HTTP client (axios & co.)' || stack.some((frame) => /^node:(_http|net|internal\/stream)/.test(frame.callFrame.url))) {
		return 'HTTP client continuations (answers arriving, sockets)';
	}
	if (!owner) return 'native or Node work with no JS caller (libuv, syscalls)';
	return `other n8n work (${owner})`;
}

export interface ProfileSplit {
	/** Sampled time of the node's run (see splitProfile). */
	windowMs: number;
	/** Self time by library of the leaf-most frame that has a library (native and Node frames go to their caller's library when it has one). */
	byLibrary: Map<string, number>;
	/** Time inside n8n functions the package called, by the n8n function entered from package code. */
	calledByPackage: Map<string, number>;
	/** Time by what the sample was doing (roleOf). */
	byRole: Map<string, number>;
	/** Self time by function (library, name, file:line), for a closer look. */
	byFunction: Map<string, number>;
}

export function splitProfile(file: string): ProfileSplit {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stackOf = (id: number) => {
		const stack: ProfileNode[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
		return stack; // leaf first
	};
	// The node's run: from RoutingNode.runNode's first sample to the last sample with this package's code after it
	// (n8n also runs package code at start-up, when it loads the node and builds its AI-tool variant).
	const routingNode = (frame: ProfileNode) => frame.callFrame.functionName === 'runNode' && frame.callFrame.url.includes('routing-node');
	const packageCode = (frame: ProfileNode) => PACKAGE_DISTS.some((dist) => frame.callFrame.url.includes(dist));
	const stacks = profile.samples.map(stackOf);
	const first = stacks.findIndex((stack) => stack.some(routingNode));
	let last = -1;
	for (let i = stacks.length - 1; i >= Math.max(first, 0) && last < 0; i--) if (stacks[i].some(packageCode)) last = i;

	const byLibrary = new Map<string, number>();
	const calledByPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	const byRole = new Map<string, number>();
	const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
	let windowMs = 0;
	for (let i = first; i <= last && i >= 0; i++) {
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		windowMs += ms;
		const stack = stacks[i];
		const libraries = stack.map((frame) => libraryOf(frame.callFrame.url, frame.callFrame.functionName));
		// Native and Node-runtime frames count for the library that called them, when a library is on the stack.
		const owner = libraries.find((library) => !['native', 'Node runtime'].includes(library)) ?? libraries[0];
		add(byLibrary, ['(root)', '(program)', '(idle)', 'GC'].includes(libraries[0]) ? libraries[0] : owner, ms);
		add(byRole, roleOf(stack, libraries), ms);
		const leaf = stack[0].callFrame;
		add(byFunction, `${libraries[0]} | ${leaf.functionName || '(anonymous)'} | ${leaf.url.replace(/^.*node_modules\//, '')}:${leaf.lineNumber + 1}`, ms);
		const packageAt = libraries.indexOf('this package');
		if (packageAt > 0) {
			const entered = stack[packageAt - 1].callFrame;
			const library = libraries[packageAt - 1];
			if (library !== 'this package') add(calledByPackage, `${library}: ${entered.functionName || '(anonymous)'}`, ms);
		}
	}
	return { windowMs, byLibrary, calledByPackage, byFunction, byRole };
}
