import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { operationError } from '../shared/errors';
import { oncePerRun } from '../shared/routingAdapter';
import { rowOf } from '../shared/rows';
import { checkParameter, InvalidValue, optional, toDate } from '../shared/validation';
import { moneybirdApi } from './moneybirdApi';
import { learnInvoices } from './knownInvoices';
import { everyRecord } from './pages';

/*
 * An external sales invoice named by its reference (`EXT-2026-001`, a sheet's column) rather than its ID.
 * Moneybird has no reference filter for external invoices, so the administration's invoices of an explicit
 * period are listed once per run (pages of 100, within the rate limit like every request), and each item's
 * reference is matched exactly, trimmed. No match or several refuse that item before anything is sent.
 */

/** The invoices of one administration and period, by trimmed reference. */
type ByReference = Map<string, IDataObject[]>;

/** The period searched: from the option's date (default: 1 January of last year) to 31 December of next year. */
export function searchPeriod(from: string | undefined, today = new Date()): { from: string; to: string; filter: string } {
	const year = today.getUTCFullYear();
	const start = from ?? `${year - 1}-01-01`;
	const end = `${year + 1}-12-31`;
	return { from: start, to: end, filter: `period:${start.replace(/-/g, '')}..${end.replace(/-/g, '')}` };
}

/** The ID of the invoice whose reference is `reference`; an InvalidValue names the reference when none or several. */
export async function invoiceIdByReference(
	context: IExecuteSingleFunctions,
	administration: string,
	reference: unknown,
): Promise<string> {
	const wanted = typeof reference === 'string' || typeof reference === 'number' ? String(reference).trim() : '';
	if (wanted === '') throw new InvalidValue('the reference is empty');
	const period = searchPeriod(checkParameter(context, 'options.referenceSearchFrom', 'Reference Search From', optional(toDate)));
	const url = `/${administration}/external_sales_invoices.json`;
	let invoices: ByReference;
	try {
		invoices = await oncePerRun(context, moneybirdApi, `reference ${administration} ${period.filter}`, async (send) => {
			const listed = await everyRecord(send, url, { filter: period.filter });
			// Each listed invoice comes with its payments: the run need not read it again (knownInvoices.ts).
			learnInvoices(context, administration, listed);
			return byReference(listed);
		});
	} catch (error) {
		const cause = error as Error & { description?: string };
		throw operationError(context.getNode(), `Moneybird's invoices could not be listed to find reference "${wanted}": ${cause.message}`, {
			itemIndex: context.getItemIndex(),
			description: [cause.description, `Nothing was sent for ${rowOf(context)}.`].filter(Boolean).join(' '),
		});
	}
	const matches = invoices.get(wanted) ?? [];
	const searched = `dated ${period.from} to ${period.to} in administration ${administration}`;
	if (matches.length === 0) {
		throw new InvalidValue(
			`no external sales invoice ${searched} has the reference "${wanted}" (compared exactly; set Options > Reference Search From for older invoices)`,
		);
	}
	if (matches.length > 1) {
		const candidates = matches.map((invoice) => `${String(invoice.id)} (dated ${String(invoice.date)})`).join(', ');
		throw new InvalidValue(`${matches.length} external sales invoices ${searched} have the reference "${wanted}": ${candidates}; choose one By ID`);
	}
	return String(matches[0].id);
}

function byReference(invoices: IDataObject[]): ByReference {
	const map: ByReference = new Map();
	for (const invoice of invoices) {
		if (typeof invoice.reference !== 'string') continue;
		const key = invoice.reference.trim();
		map.set(key, [...(map.get(key) ?? []), invoice]);
	}
	return map;
}
