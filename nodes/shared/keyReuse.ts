import type { IDataObject, IExecuteSingleFunctions, NodeApiError } from 'n8n-workflow';

import { operationError } from './errors';
import { rowOf } from './rows';

/*
 * A key (a Kantata OX Payment Key, a Moneybird transaction identifier) stands for one payment. A row whose key is
 * already recorded for a payment with another amount, date or invoice is not a repeat: it is refused before it
 * is sent, as a payment API refuses an idempotency key reused with other parameters. Only an exact repeat is
 * output as already recorded.
 */

export interface KeyReuse {
	/** The field as the editor names it, e.g. "Payment Key". */
	field: string;
	key: string;
	/** The payment recorded with the key, in a bookkeeper's words, e.g. "10.00 on 2026-03-01 (payment 7)". */
	recorded: string;
	/** What the row asks for, in the same words. */
	row: string;
	/** How to record the row as a payment of its own. */
	fix: string;
}

export function keyReused(context: IExecuteSingleFunctions, reuse: KeyReuse): NodeApiError {
	const itemIndex = context.getItemIndex();
	return operationError(
		context.getNode(),
		`${reuse.field} "${reuse.key}" is already recorded for another payment: ${reuse.recorded}; ${rowOf(context)} says ${reuse.row}`,
		{
			itemIndex,
			description: `Nothing was sent for ${rowOf(context)}: a ${reuse.field} stands for one payment, and only an exact repeat is skipped as already recorded. ${reuse.fix}`,
		},
	);
}

const byIdOrder = (a: IDataObject, b: IDataObject) => (BigInt(String(a.id)) < BigInt(String(b.id)) ? -1 : 1);

/**
 * Of the payments that are one payment (`same`, `mine` among them), the one kept: the first recorded, lowest ID.
 * When that is not `mine` (an overlapping run recorded it first), `mine` is deleted with `remove`; a delete that
 * fails leaves two payments, and the row's error says which to delete by hand.
 */
export async function keepFirst(
	context: IExecuteSingleFunctions,
	mine: IDataObject,
	same: IDataObject[],
	remove: () => Promise<unknown>,
): Promise<IDataObject> {
	const [first] = same.filter((payment) => /^\d+$/.test(String(payment.id))).sort(byIdOrder);
	if (!first || String(first.id) === String(mine.id)) return mine;
	try {
		await remove();
	} catch (error) {
		throw operationError(
			context.getNode(),
			`Payment ${String(mine.id)} of ${rowOf(context)} duplicates payment ${String(first.id)}, which another run recorded first, and deleting it failed: ${(error as Error).message}`,
			{
				itemIndex: context.getItemIndex(),
				description: `Two runs of the same rows overlapped, and both recorded this payment. Delete payment ${String(mine.id)} by hand; payment ${String(first.id)} stays.`,
			},
		);
	}
	return first;
}
