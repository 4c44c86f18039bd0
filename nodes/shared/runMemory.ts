import type { INodeExecutionData } from 'n8n-workflow';

/**
 * What one run of a node remembers across n8n's tries of it (Retry On Fail runs the node again with the same
 * input), so that a retry sends nothing twice.
 */
export interface RunMemory {
	/** IDs of the records this run created, so a lost answer is never matched to another item's record. */
	created: Set<string>;
	/** The output of each item a try completed: output as it was by every later try, and not sent again. */
	completed: Map<number, INodeExecutionData[]>;
	/** Creates that may or may not have been recorded, by item, with when they were sent: looked for before any resend. */
	uncertainCreates: Map<number, Date>;
	/**
	 * What the run learned about the API's records, by key (e.g. an invoice with its payments), so that it asks
	 * for each at most once per run and adds what it records itself.
	 */
	known: Map<string, unknown>;
}

export const newRunMemory = (): RunMemory => ({ created: new Set(), completed: new Map(), uncertainCreates: new Map(), known: new Map() });
