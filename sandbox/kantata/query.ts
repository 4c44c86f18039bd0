/** The Kantata OX sandbox's query parameters: lists, includes, order, dates and paging; a bad value is a 400. */
import { badRequest } from './responses';
import type { Meta } from './responses';
import { ORDER_FIELDS } from './state';
import type { OrderField } from './state';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

/** `include` names and the envelope key each one fills. */
export const INCLUDES: Record<string, 'invoices' | 'users' | 'workspaces'> = {
	invoice: 'invoices',
	user: 'users',
	workspace: 'workspaces',
};

export function parseList(value: string | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
	return items.length > 0 ? items : undefined;
}

export function parseIncludes(value: string | undefined): Set<string> {
	const names = parseList(value) ?? [];
	for (const name of names) {
		if (!(name in INCLUDES)) {
			throw badRequest(`Invalid include "${name}"; valid includes are: ${Object.keys(INCLUDES).join(', ')}`);
		}
	}
	return new Set(names);
}

export function parseOrder(value: string | undefined): [OrderField, 'asc' | 'desc'] {
	if (value === undefined) return ['created_at', 'desc'];
	const match = /^([a-z_]+)(?::(asc|desc))?$/.exec(value.trim());
	const field = match?.[1] as OrderField | undefined;
	if (!match || !field || !ORDER_FIELDS.includes(field)) {
		throw badRequest(`Invalid order "${value}"; use one of ${ORDER_FIELDS.join(', ')} with :asc or :desc`);
	}
	return [field, (match[2] as 'asc' | 'desc' | undefined) ?? 'asc'];
}

/** ISO 8601 date or date-time (no offset = UTC) to epoch ms; anything else is a 400. */
export function parseDateParam(query: Record<string, string>, name: string): number | undefined {
	const value = query[name];
	if (value === undefined) return undefined;
	const match =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
	let ms = NaN;
	if (match) {
		const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = match;
		const dateOk = new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() === +d && +mo >= 1 && +mo <= 12;
		const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
		if (dateOk) ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`);
	}
	if (Number.isNaN(ms)) throw badRequest(`Invalid ${name} "${value}"; expected an ISO 8601 date/time`);
	return ms;
}

export interface PageWindow {
	start: number;
	size: number;
	meta: (count: number) => Meta;
	take: <T>(items: T[]) => T[];
}

/** page/per_page (per_page clamped to 200), or limit/offset which override them. */
export function parsePaging(query: Record<string, string>): PageWindow {
	const int = (name: string, min: number): number | undefined => {
		const value = query[name];
		if (value === undefined) return undefined;
		if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
			throw badRequest(`Invalid ${name} "${value}"; expected an integer >= ${min}`);
		}
		return Number(value);
	};
	const perPage = Math.min(int('per_page', 1) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
	const pageNumber = int('page', 1) ?? 1;
	const limit = int('limit', 1);
	const offset = int('offset', 0);
	let start: number;
	let size: number;
	if (limit !== undefined || offset !== undefined) {
		size = Math.min(limit ?? perPage, MAX_PER_PAGE);
		start = offset ?? 0;
	} else {
		size = perPage;
		start = (pageNumber - 1) * perPage;
	}
	return {
		start,
		size,
		meta: (count) => ({
			count,
			page_count: Math.ceil(count / size),
			page_number: Math.floor(start / size) + 1,
			page_size: size,
		}),
		take: (items) => items.slice(start, start + size),
	};
}

/** The meta of an answer holding one record. */
export function singleMeta(): Meta {
	return { count: 1, page_count: 1, page_number: 1, page_size: DEFAULT_PER_PAGE };
}
