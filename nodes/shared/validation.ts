import type { IExecuteSingleFunctions, NodeApiError } from 'n8n-workflow';

import { asNodeError, operationError } from './errors';
import { rowOf } from './rows';

/**
 * Every check of a value typed or mapped into a node, and how a refusal is reported. Each check returns the
 * value in the form the API wants or throws an InvalidValue saying what is wrong, in words a user can act on;
 * `checkParameter` adds which parameter and which item, before anything is sent for it.
 */
export class InvalidValue extends Error {}

/** A value check: the value as the API is sent it, or an InvalidValue (or AmountError) to refuse it. */
export type ValueCheck<T = unknown> = (value: unknown, context: IExecuteSingleFunctions) => T;

/** An error about one input item's parameter, raised before anything is sent for it. */
export function inputError(context: IExecuteSingleFunctions, label: string, reason: string): NodeApiError {
	const itemIndex = context.getItemIndex();
	return operationError(context.getNode(), `Invalid ${label} in ${rowOf(context)}: ${reason}`, {
		description: `Nothing was sent for ${rowOf(context)}. Correct "${label}" in that row and run it again.`,
		itemIndex,
	});
}

/** Runs a check on a parameter's value; a value it refuses becomes an error naming the parameter, value and item. */
export function checkValue<T>(context: IExecuteSingleFunctions, label: string, value: unknown, check: ValueCheck<T>): T {
	try {
		return check(value, context);
	} catch (error) {
		if (error instanceof InvalidValue) throw inputError(context, label, error.message);
		throw asNodeError(context.getNode(), error);
	}
}

/**
 * Reads a parameter of the current item (resource locators give their plain value) and runs its check. A
 * parameter that is not set (an optional field not added) reads as empty.
 */
export function checkParameter<T>(context: IExecuteSingleFunctions, name: string, label: string, check: ValueCheck<T>): T {
	let value: unknown;
	try {
		value = context.getNodeParameter(name, '', { extractValue: true });
	} catch (error) {
		// n8n could not read it, e.g. a URL that does not match the resource locator's pattern.
		throw inputError(context, label, (error as Error).message);
	}
	return checkValue(context, label, value, check);
}

/** Left empty in the panel, or mapped from an empty cell. */
export function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The check of an optional field: an empty value means "not set", so nothing is sent for it. */
export function optional<C, T>(check: (value: unknown, context: C) => T): (value: unknown, context: C) => T | undefined {
	return (value, context) => (isEmpty(value) ? undefined : check(value, context));
}

export interface IdRules {
	/** Most digits an ID may have. */
	maxDigits: number;
}

/**
 * A record ID as decimal digits in a string. IDs go into URL paths, so anything but digits is refused: no
 * `/`, `?`, `#`, `..` or percent-escapes can steer a request elsewhere. A number is accepted only while it is a
 * safe integer, since a larger one has already lost digits before it reached the node.
 */
export function toId(value: unknown, rules: IdRules): string {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value)) {
			throw new InvalidValue(
				`${value} is a number too large to be exact; map the ID as text (IDs longer than 15 digits lose digits as numbers)`,
			);
		}
		text = String(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		throw new InvalidValue(`expected an ID, got ${value === null ? 'null' : typeof value}`);
	}
	if (text === '') throw new InvalidValue('the ID is empty');
	if (!/^\d+$/.test(text)) throw new InvalidValue(`"${text}" is not an ID: IDs are whole numbers written with digits only`);
	if (/^0+$/.test(text)) throw new InvalidValue(`"${text}" is not an ID: IDs are positive`);
	if (text.length > rules.maxDigits) throw new InvalidValue(`"${text}" is not an ID: it has more than ${rules.maxDigits} digits`);
	return text;
}

/**
 * A calendar date as `YYYY-MM-DD`. A full ISO date-time (what n8n's date pickers give) is accepted and its date
 * part kept as written, without time-zone shifting: the date a person sees is the date that is booked.
 */
export function toDate(value: unknown): string {
	if (typeof value !== 'string') {
		throw new InvalidValue(`expected a date as text in the form YYYY-MM-DD, got ${value === null ? 'null' : typeof value}`);
	}
	const text = value.trim();
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
	if (!match) throw new InvalidValue(`"${text}" is not a date in the form YYYY-MM-DD`);
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth) {
		throw new InvalidValue(`"${text}" is not a real calendar date`);
	}
	return `${match[1]}-${match[2]}-${match[3]}`;
}

/** An ISO 8601 date-time for API filters; returned unchanged when it is one. */
export function toDateTime(value: unknown): string {
	if (typeof value !== 'string') throw new InvalidValue(`expected an ISO 8601 date-time, got ${typeof value}`);
	const text = value.trim();
	toDate(text.slice(0, 10));
	if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
		throw new InvalidValue(`"${text}" is not an ISO 8601 date-time such as 2025-02-28T13:45:00Z`);
	}
	return text;
}

/** Free text with a length limit the API enforces; counted in characters as a person counts them. */
export function toText(value: unknown, maxLength: number): string {
	const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	const length = [...text].length;
	if (length > maxLength) throw new InvalidValue(`it has ${length} characters; at most ${maxLength} are allowed`);
	return text;
}
