/** A header's value, whichever case its name arrived in (Node gives lower case); the first of a repeated one, trimmed. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (value === undefined || value === null) return undefined;
	return String(Array.isArray(value) ? value[0] : value).trim();
}
