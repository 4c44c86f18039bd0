import { ICredentialsHelper, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/** Supplies credential data the way n8n's CredentialsHelper does, including OAuth2 token updates. */
export class TestCredentials extends ICredentialsHelper {
	/** Every credential handed to a node, by type: tests check what the engine saw and stored. */
	readonly data: Record<string, ICredentialDataDecryptedObject>;

	/** Reads by type. In n8n each one is a database query, a decryption and an expression pass. */
	readonly reads: Record<string, number> = {};

	constructor(
		private readonly types: Record<string, ICredentialType>,
		data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		this.data = structuredClone(data);
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** n8n 2.x asks this before handing a credential to a node (a credential type may restrict itself to some nodes). */
	isCredentialUsableByNode(type: string, nodeType: string): boolean {
		const { restrictToSupportedNodes, supportedNodes } = (this.types[type] ?? {}) as { restrictToSupportedNodes?: boolean; supportedNodes?: string[] };
		return !restrictToSupportedNodes || (supportedNodes ?? []).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.types[typeName]?.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const options = requestOptions as unknown as Record<string, IDataObject>;
		for (const [location, values] of Object.entries(authenticate.properties)) {
			options[location] ??= {};
			for (const [key, value] of Object.entries(values as IDataObject)) {
				options[location][String(resolve(key))] = resolve(value) as string;
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	/** n8n 2.x runs a credential type's own pre-authentication step through this (these credentials have none). */
	async runPreAuthentication(_helpers: unknown, _credentials: ICredentialDataDecryptedObject, typeName: string) {
		if (this.types[typeName]?.preAuthentication) throw new Error(`${typeName}: pre-authentication is not supported by this harness`);
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const given = this.data[type];
		if (!given) throw new Error(`No test credentials of type ${type}`);
		this.reads[type] = (this.reads[type] ?? 0) + 1;
		const defaults = Object.fromEntries(
			this.getCredentialsProperties(type)
				.filter((property) => property.type !== 'notice')
				.map((property) => [property.name, property.default]),
		);
		return { ...defaults, ...structuredClone(given) } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = structuredClone(data);
	}

	async updateCredentialsOauthTokenData(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = { ...this.data[type], oauthTokenData: structuredClone(data.oauthTokenData) };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.types[type];
		return credentialType ? credentialType.properties : [];
	}
}
