import type { IDataObject } from 'n8n-workflow';

/** Credential values that must never be shown: tokens, secrets, passwords, at any depth. */
export function secretsOf(credentials: IDataObject | undefined): string[] {
	const secrets: string[] = [];
	const visit = (value: unknown, key: string) => {
		if (typeof value === 'string') {
			if (/token|secret|password/i.test(key) && value.length >= 4) secrets.push(value);
		} else if (value && typeof value === 'object') {
			for (const [childKey, child] of Object.entries(value)) visit(child, /token|secret/i.test(key) ? key : childKey);
		}
	};
	visit(credentials, '');
	return secrets;
}

/** The value with every secret replaced by `[redacted]`, at any depth. */
export function redact<T>(value: T, secrets: string[]): T {
	if (!secrets.length || value === undefined || value === null) return value;
	if (typeof value === 'string') {
		return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), value as string) as T;
	}
	if (typeof value === 'object') return JSON.parse(redact(JSON.stringify(value), secrets)) as T;
	return value;
}
