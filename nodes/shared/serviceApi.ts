import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import type { FailureText } from './errors';
import type { IdentifyingField } from './rows';

/** The request RoutingNode built for one item, as the engine adaptation receives it. */
export type RequestData = DeclarativeRestApiSettings.ResultOptions;
/** Sends one request of an item through the transport (auth, rate limits, retries, errors). */
export type Send = (options: IHttpRequestOptions) => Promise<IN8nHttpFullResponse>;
/** Turns an answer into the item's output, through the operation's declared postReceive. */
export type ToItems = (response: IN8nHttpFullResponse) => Promise<INodeExecutionData[]>;

/** What one item's operation exchanges with the API beyond its one request: a list's pages, a read before a create. */
export type Exchange = (this: IExecuteSingleFunctions, request: RequestData, send: Send, toItems: ToItems) => Promise<INodeExecutionData[]>;

/** What the shared code needs to know about one API; each service folder defines its own. */
export interface ServiceApi {
	/** Product name used in messages. */
	name: string;
	/** Credential types are `<prefix>Api` (token) and `<prefix>OAuth2Api`, picked by the Authentication parameter. */
	credentialPrefix: string;
	/** The parameters that identify an item's row, named in its error on the error output (rows.ts). */
	identifyingFields: IdentifyingField[];
	/** The API's refusal in its own words. */
	describeFailure(status: number, body: unknown, request: IHttpRequestOptions): FailureText;
	/** The ID of the record a create's answer holds, for the run's `created` set; undefined when it holds none. */
	createdIdOf(body: unknown): string | undefined;
	/** What a user should check when a create may or may not have been recorded. */
	howToCheckCreate(request: IHttpRequestOptions, sentAt: Date): string;
	/**
	 * For a create whose answer was lost: ask the API whether it was recorded. Returns the recorded record,
	 * `false` when it can tell that nothing was recorded, or `undefined` when it cannot tell. Records in
	 * `createdBefore` were created by earlier items of this run and are never the one sought.
	 */
	findCreated?: (
		this: IExecuteSingleFunctions,
		request: IHttpRequestOptions,
		sentAt: Date,
		send: Send,
		createdBefore: ReadonlySet<string>,
	) => Promise<IDataObject | false | undefined>;
}

/** How far before a lost create was sent `findCreated` looks for it: allows for clocks a little apart. */
export const CREATED_WINDOW_MS = 10 * 60_000;
