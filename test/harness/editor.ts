import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { loadPackage, prepare, runNode } from './engine';
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
	const nodeType = (await loadPackage()).nodeTypes[options.type].type as INodeType;
	return { context, methods: nodeType.methods! };
}

/**
 * Runs a credential's `test` request as n8n's credential tester does: a declarative node whose request
 * defaults are the test request, executed by RoutingNode with the credential. Resolves to n8n's verdict.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const packageLoader = await loadPackage();
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
			requestDefaults: { ...credentialType.test.request },
			properties: [],
		},
	};
	const result = await runNode({ type: 'credentialTest', parameters: {}, credentials: { [type]: data }, extraTypes: { credentialTest: tester } });
	if (result.error) return { status: 'Error', message: result.error.message };
	return { status: 'OK', message: 'Connection successful!' };
}
