import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

/*
 * Which input row an item's error is about, in words a bookkeeper can match to a sheet: rows counted as people
 * count them (the third row is n8n's item 2), and the values that identify the row (its invoice or reference,
 * amount, transaction identifier), so an error on the error output says which row to fix without the input.
 */

/**
 * How an error names an item's row: "sheet row 5 (item 2)" when the item carries its sheet's own row number
 * (`row_number`, as n8n's Google Sheets node gives it), else "row 3 (item 2)", rows counted from 1.
 */
export function rowOf(item: number | IExecuteSingleFunctions): string {
	if (typeof item === 'number') return `row ${item + 1} (item ${item})`;
	const itemIndex = item.getItemIndex();
	const sheetRow = sheetRowOf(item);
	return sheetRow === undefined ? rowOf(itemIndex) : `sheet row ${sheetRow} (item ${itemIndex})`;
}

/** The item's `row_number` from its sheet, when it has a plausible one. */
function sheetRowOf(context: IExecuteSingleFunctions): number | undefined {
	let rowNumber: unknown;
	try {
		rowNumber = context.getInputData()?.json?.row_number;
	} catch {
		return undefined;
	}
	const value = typeof rowNumber === 'string' && /^\d+$/.test(rowNumber.trim()) ? Number(rowNumber) : rowNumber;
	return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

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
 * An item's error as its error output shows it: the message names the row when it does not yet, and the
 * description starts with what identifies the row, e.g. message `Kantata OX refused the payment: … (row 3, item
 * 2)`, description `Row 3 (item 2): project "101", amount "12.50". …`.
 */
export function namingTheRow(context: IExecuteSingleFunctions, error: { message: string; description?: string | null }, identity: string): void {
	const row = rowOf(context);
	const named = row.replace(/^(sheet )?row (\d+) \(item (\d+)\)$/, '$1row $2, item $3');
	if (!error.message.includes(row)) error.message = `${error.message} (${named})`;
	if (identity && !error.description?.includes(identity)) {
		error.description = [`${row.charAt(0).toUpperCase()}${row.slice(1)}: ${identity}.`, error.description].filter(Boolean).join(' ');
	}
}

/**
 * The output item of a row that failed, with Continue On Fail: the error's whole message in `error` and what to
 * do (with what identifies the row) in `message`, paired to its input. n8n replaces the JSON of an item that
 * carries an `error` object with the message alone, which loses the hint; an item whose JSON has just these two
 * keys is still taken for an error by On Error's error output, which adds the input row's own fields to it.
 */
export function errorOutputItem(error: { message: string; description?: string | null }, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.message = error.description;
	return { json, pairedItem: { item: itemIndex } };
}
