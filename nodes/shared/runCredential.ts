import type { ICredentialsDecrypted, IExecuteSingleFunctions } from 'n8n-workflow';

/**
 * The credential of one node run, read once for all its items as RoutingNode reads it, and passed with every
 * request so n8n does not load and decrypt it again for each one. (OAuth2 requests still read their own: a
 * renewed token is saved there.)
 */
const ofRun = new WeakMap<object, Map<string, Promise<ICredentialsDecrypted>>>();

export async function credentialOfRun(context: IExecuteSingleFunctions, type: string): Promise<ICredentialsDecrypted> {
	// RoutingNode gives every item of a run the same execute-data object.
	const run = context.getExecuteData();
	let byType = ofRun.get(run);
	if (!byType) ofRun.set(run, (byType = new Map()));
	let credential = byType.get(type);
	if (!credential) {
		const { id, name } = context.getNode().credentials?.[type] ?? { id: null, name: type };
		credential = context.getCredentials(type).then((data) => ({ id: id ?? '', name, type, data }));
		byType.set(type, credential);
	}
	return await credential;
}
