import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { loadPackages, prepare, runNode } from './engine';
import type { RunOptions } from './engine';

// What the editor does with a node outside a run: open its pickers, and test a credential.

/**
 * What the editor gives a node's list-search and load-options methods: n8n-core's own LoadOptionsContext for
 * the node with these parameters, and the node type to call the methods of.
 */
export async function editorContext(options: Omit<RunOptions, 'items'>) {
	const { workflow, node, additionalData } = await prepare(options);
	// The editor sends the node's parameters as they stand when a picker opens.
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const nodeType = (await loadPackages()).nodeTypes[options.type].type as INodeType;
	return { context, methods: nodeType.methods! };
}

/**
 * Runs a credential's `test` request as n8n's credential tester does: a declarative node whose request
 * defaults are the test request, executed by RoutingNode with the credential. Resolves to n8n's verdict.
 */
/** lodash's `get` for a dotted key, as n8n's tester reads a rule's key. */
function atPath(value: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), value);
}

export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const packageLoader = await loadPackages();
	const credentialType = packageLoader.credentialTypes[type].type;
	if (!credentialType.test) throw new Error(`${type} has no test`);
	const tester: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			// As n8n's CredentialsTester (1.x and 2.x) builds it: one property whose routing is the test request.
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } }],
		},
	};
	const result = await runNode({ type: 'credentialTest', parameters: {}, credentials: { [type]: data }, extraTypes: { credentialTest: tester } });
	if (result.error) return { status: 'Error', message: result.error.message };
	// Then, as there, each `responseSuccessBody` rule whose key holds its value turns the success into its message.
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && atPath(result.items[0]?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
