/** Dates as `YYYY-MM-DD` strings, and the named and explicit periods of Moneybird's `filter=period:…`. */

export function parseDate(value: string): string | undefined {
	const m =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
			value,
		);
	if (!m) return undefined;
	const date = `${m[1]}-${m[2]}-${m[3]}`;
	return isoDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === date ? date : undefined;
}

function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function ymd(date: string): [number, number, number] {
	return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function addDays(date: string, days: number): string {
	const [y, m, d] = ymd(date);
	return isoDate(Date.UTC(y, m - 1, d + days));
}

export function maxDate(a: string, b: string): string {
	return a > b ? a : b;
}

/** A named period (relative to `today`) or `YYYYMM..YYYYMM` / `YYYYMMDD..YYYYMMDD` → inclusive date range. */
export function periodRange(period: string, today: string): [string, string] | undefined {
	const [y, m, d] = ymd(today);
	const named = /^(this|prev|next)_(week|month|quarter|year)$/.exec(period);
	if (named) {
		const offset = named[1] === 'prev' ? -1 : named[1] === 'next' ? 1 : 0;
		switch (named[2]) {
			case 'week': {
				const monday = d - ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 7 * offset;
				return [isoDate(Date.UTC(y, m - 1, monday)), isoDate(Date.UTC(y, m - 1, monday + 6))];
			}
			case 'month':
				return [isoDate(Date.UTC(y, m - 1 + offset, 1)), isoDate(Date.UTC(y, m + offset, 0))];
			case 'quarter': {
				const first = Math.floor((m - 1) / 3) * 3 + 3 * offset;
				return [isoDate(Date.UTC(y, first, 1)), isoDate(Date.UTC(y, first + 3, 0))];
			}
			default:
				return [`${y + offset}-01-01`, `${y + offset}-12-31`];
		}
	}
	const months = /^(\d{4})(\d{2})\.\.(\d{4})(\d{2})$/.exec(period);
	if (months) {
		const [, y1, m1, y2, m2] = months.map(Number);
		if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12) return undefined;
		return [isoDate(Date.UTC(y1, m1 - 1, 1)), isoDate(Date.UTC(y2, m2, 0))];
	}
	const days = /^(\d{4})(\d{2})(\d{2})\.\.(\d{4})(\d{2})(\d{2})$/.exec(period);
	if (days) {
		const from = parseDate(`${days[1]}-${days[2]}-${days[3]}`);
		const to = parseDate(`${days[4]}-${days[5]}-${days[6]}`);
		return from && to ? [from, to] : undefined;
	}
	return undefined;
}
