/** What one failed HTTP exchange came to: an answer with a status, or a network error code. */
export interface HttpFailure {
	status?: number;
	headers: Record<string, unknown>;
	body?: unknown;
	/**
	 * A network error code (ECONNRESET, …), NOT_JSON for an answer that is not JSON, NOT_RECORD for a create's
	 * answer that holds no record, or EARLIER_TRY for a create an earlier try of the node sent without a usable answer.
	 */
	code?: string;
}

/** n8n wraps the HTTP client's error; its `cause` holds the response, if there was one. */
export function httpFailureOf(error: unknown): HttpFailure {
	const outer = error as { cause?: unknown; code?: string; httpCode?: string | null; context?: { data?: unknown } };
	const inner = (outer.cause ?? outer) as { code?: string; response?: { status?: number; headers?: object; data?: unknown } };
	const response = inner.response;
	if (response && typeof response.status === 'number') {
		return { status: response.status, headers: (response.headers ?? {}) as Record<string, unknown>, body: response.data };
	}
	// n8n-workflow 1.x's NodeApiError loses `cause` (a class field re-declared after super()); it keeps the status
	// or network code in `httpCode` and an object body in `context.data`, so those are read instead.
	const kept = outer.context?.data;
	const keptCode = outer.httpCode && !/^\d{3}$/.test(outer.httpCode) ? outer.httpCode : undefined;
	const code = inner.code ?? outer.code ?? keptCode;
	if (!code && outer.httpCode && /^\d{3}$/.test(outer.httpCode)) return { status: Number(outer.httpCode), headers: {}, body: kept };
	return { headers: {}, code: code ?? 'UNKNOWN' };
}

export function isJsonBody(body: unknown): boolean {
	return body !== null && typeof body === 'object' && !Buffer.isBuffer(body);
}

/** What went wrong, in words: "it answered 503", "the connection was refused", … */
export function whatHappened(failure: HttpFailure): string {
	if (failure.code === 'NOT_JSON') {
		const body = typeof failure.body === 'string' ? failure.body : '';
		return body.trim() === ''
			? `it answered ${failure.status} with an empty body instead of JSON`
			: `it answered ${failure.status} with a body that is not JSON (${describeText(body)})`;
	}
	if (failure.code === 'NOT_RECORD') {
		const body = failure.body === undefined || failure.body === '' ? 'an empty body' : describeText(JSON.stringify(failure.body));
		return `it answered ${failure.status} without the record it created (${body})`;
	}
	if (failure.status) return `it answered ${failure.status}`;
	switch (failure.code) {
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection was closed before an answer arrived';
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
			return 'no answer came within the timeout';
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'EARLIER_TRY':
			return 'an earlier try of this node sent it and no usable answer came back';
		default:
			return `network error ${failure.code}`;
	}
}

/** A text answer in a few words: an HTML page's title, or its first 80 characters. */
export function describeText(body: string): string {
	const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
	const start = title ?? body.trim().slice(0, 80).replace(/\s+/g, ' ');
	return `"${start}${!title && body.trim().length > 80 ? '…' : ''}"`;
}
