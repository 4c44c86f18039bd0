import type { IExecuteSingleFunctions } from 'n8n-workflow';

/*
 * Which input row an item's error is about, in words a bookkeeper can match to a sheet: rows counted as people
 * count them (the third row is n8n's item 2), and the values that identify the row (its invoice or reference,
 * amount, transaction identifier), so an error on the error output says which row to fix without the input.
 */

/** "row 3 (item 2)". */
export const rowOf = (itemIndex: number): string => `row ${itemIndex + 1} (item ${itemIndex})`;

/** A parameter that identifies an item's row, and how an error names it. */
export interface IdentifyingField {
	label: string;
	parameter: string;
}

/** The identifying values the item was given, as text ("invoice 1001, amount "12.345""); empty ones left out. */
export function identifyingInput(context: IExecuteSingleFunctions, fields: IdentifyingField[]): string {
	const named: string[] = [];
	for (const { label, parameter } of fields) {
		let value: unknown;
		let raw: unknown;
		try {
			raw = context.getNodeParameter(parameter, undefined);
			value = context.getNodeParameter(parameter, undefined, { extractValue: true });
		} catch {
			continue; // Not a parameter of this operation, or one n8n could not read: the error says so already.
		}
		if (value === undefined || value === null || typeof value === 'object' || String(value).trim() === '') continue;
		// An invoice given by its reference is named as what the row holds.
		const byReference = (raw as { mode?: unknown } | undefined)?.mode === 'reference';
		named.push(`${byReference ? 'reference' : label} ${JSON.stringify(String(value))}`);
	}
	return named.join(', ');
}

/**
 * An item's error as its error output item shows it (n8n keeps only the message in the item's JSON): the message
 * names the row when it does not yet, and the description starts with what identifies the row, e.g. message
 * `Kantata OX refused the payment: … (row 3, item 2)`, description `Row 3 (item 2): project "101", amount "12.50". …`.
 */
export function namingTheRow(error: { message: string; description?: string | null }, itemIndex: number, identity: string): void {
	if (!error.message.includes(rowOf(itemIndex))) error.message = `${error.message} (row ${itemIndex + 1}, item ${itemIndex})`;
	if (identity) error.description = [`Row ${itemIndex + 1} (item ${itemIndex}): ${identity}.`, error.description].filter(Boolean).join(' ');
}
