import type { IDataObject } from 'n8n-workflow';

/**
 * Where one feed of payments stands between polls: new payments follow `created_at`, updates `updated_at`.
 *
 * The boundary rule. Kantata's `created_after` and `updated_after` are exclusive and its timestamps have whole
 * seconds, so a payment can appear after a poll with the very timestamp of the last payment emitted (the
 * watermark): asking from the watermark would lose it, asking from one second earlier returns it together
 * with the payments of that second already emitted. So a feed keeps the watermark's second and the IDs
 * emitted at that second. A poll asks from one second before the watermark and drops the payments of the
 * watermark's second whose ID is kept (and anything older, which earlier polls covered). The new watermark
 * is the latest timestamp received, with the IDs received at that second (added to the kept ones when the
 * second is the same).
 */

/** The timestamp a feed follows. */
export type Field = 'created_at' | 'updated_at';

export interface Watermark {
	/**
	 * The latest timestamp received, in whole seconds (ISO 8601, UTC). A feed starts at the latest payment
	 * there is; absent when there was none: then every payment the feed receives is new.
	 */
	at?: string;
	/** IDs of the payments at that second already emitted (or there before the feed started). */
	ids: string[];
}

/** Thrown for a payment whose timestamp cannot be read; the node turns it into a node error. */
export class UnreadableTimestamp extends Error {}

/** The `created_after` / `updated_after` to ask with: one second before the watermark (see the rule above). */
export function queryAfter(mark: Watermark): string | undefined {
	return mark.at === undefined ? undefined : isoSecond(secondOf(mark.at, 'watermark') - 1);
}

/**
 * The payments of an answer that were not emitted before, in order, and the watermark after them.
 * `records` is everything received since `queryAfter(mark)`, ascending by `field`.
 */
export function advance(mark: Watermark, records: IDataObject[], field: Field): { fresh: IDataObject[]; mark: Watermark } {
	const from = mark.at === undefined ? -Infinity : secondOf(mark.at, 'watermark');
	const kept = new Set(mark.ids);

	// Paging can meet a payment twice when it changed between two pages: its last copy is the current one.
	const received = new Map<string, { record: IDataObject; second: number }>();
	for (const record of records) {
		const id = String(record.id);
		received.delete(id);
		received.set(id, { record, second: secondOf(record[field], `${field} of payment ${id}`) });
	}
	const all = [...received.values()].sort((a, b) => a.second - b.second);

	const fresh = all.filter(({ record, second }) => second > from || (second === from && !kept.has(String(record.id))));
	const top = Math.max(from, all.length ? all[all.length - 1].second : -Infinity);
	if (top === -Infinity) return { fresh: [], mark };
	const ids = new Set(top === from ? mark.ids : []);
	for (const { record, second } of all) if (second === top) ids.add(String(record.id));
	return { fresh: fresh.map(({ record }) => record), mark: { at: isoSecond(top), ids: [...ids] } };
}

/** Whole seconds since the epoch of an ISO 8601 timestamp. */
export function secondOf(value: unknown, what: string): number {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	if (Number.isNaN(ms)) throw new UnreadableTimestamp(`Kantata OX gave ${what} as ${JSON.stringify(value)}, which is not a timestamp`);
	return Math.floor(ms / 1000);
}

function isoSecond(second: number): string {
	return new Date(second * 1000).toISOString().slice(0, 19) + 'Z';
}
