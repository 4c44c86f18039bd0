import type { IExecuteSingleFunctions, NodeApiError } from 'n8n-workflow';

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
