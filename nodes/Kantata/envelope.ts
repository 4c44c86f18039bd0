import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

/** Every Kantata answer: records keyed by ID, their order in `results`, related records under their own keys. */
export interface Envelope {
	count?: number;
	meta?: { count?: number; page_count?: number };
	results?: Array<{ key: string; id: string }>;
	[key: string]: unknown;
}

/** An answer the node cannot use as it stands; said as such, never taken as "no records". */
export class UnusableAnswer extends Error {}

/**
 * `include` names, the top-level keys their records come back under, and where each payment gets its related
 * record. The output key is the API's own name: `include=workspace` attaches the project under `workspace`.
 */
const INCLUDES = [
	{ key: 'invoices', idField: 'invoice_id', as: 'invoice' },
	{ key: 'users', idField: 'user_id', as: 'user' },
	{ key: 'workspaces', idField: 'workspace_id', as: 'workspace' },
];

/** The records of an answer in the API's order, with requested related records attached. */
export function envelopeRecords(envelope: Envelope): IDataObject[] {
	// Read as "no records", an answer without its list (`{"count":1}`) would hide a recorded payment from a lookup.
	if (!Array.isArray(envelope?.results)) throw new UnusableAnswer('Kantata OX answered without the list of its records (results)');
	return envelope.results.map(({ key, id }) => {
		const record = (envelope[key] as Record<string, IDataObject> | undefined)?.[id];
		// Dropping it silently would lose a record from the output; the answer is inconsistent, so say so.
		if (!record) throw new UnusableAnswer(`Kantata OX listed ${key} ${id} but did not include it in its answer`);
		const json: IDataObject = { ...record };
		for (const include of INCLUDES) {
			const related = envelope[include.key] as Record<string, IDataObject> | undefined;
			if (related) json[include.as] = related[String(record[include.idField])] ?? null;
		}
		return json;
	});
}

/** postReceive: one item per record of the answer. */
export async function toRecords(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return envelopeRecords(response.body as Envelope).map((json) => ({ json }));
}
