/** How the Kantata OX sandbox answers: the record envelope and the `{ errors: [ … ] }` error body. */
import type { ApiResponse } from '../server';

export interface KantataError {
	type: 'oauth' | 'system' | 'validation';
	message: string;
	field?: string;
}

/** The Kantata error body: `{ errors: [ { type, message, field? } ] }`. */
export function kantataErrorBody(...errors: KantataError[]): { errors: KantataError[] } {
	return { errors };
}

/** A complete error answer with one error in it. */
export function kantataError(
	status: number,
	type: KantataError['type'],
	message: string,
	field?: string,
): ApiResponse {
	return { status, body: kantataErrorBody(field === undefined ? { type, message } : { type, message, field }) };
}

/** Thrown inside the handler to answer with an error. */
export class HttpError extends Error {
	constructor(readonly response: ApiResponse) {
		super('http error');
	}
}

export function badRequest(message: string): HttpError {
	return new HttpError(kantataError(400, 'system', message));
}

export interface Meta {
	count: number;
	page_count: number;
	page_number: number;
	page_size: number;
}

/** `{ count, meta, results: [ { key, id } ], [key]: { id: record } }`. */
export function envelope(key: string, records: Array<{ id: string }>, meta: Meta): Record<string, unknown> {
	const keyed: Record<string, unknown> = {};
	for (const record of records) keyed[record.id] = record;
	return {
		count: meta.count,
		meta,
		results: records.map((record) => ({ key, id: record.id })),
		[key]: keyed,
	};
}

/** The record with this id, or a 404 naming the model as Rails does. */
export function find<T>(records: Map<string, T>, id: string, model: string): T {
	const record = records.get(id);
	if (!record) throw new HttpError(kantataError(404, 'system', `Couldn't find ${model} with 'id'=${id}`));
	return record;
}
