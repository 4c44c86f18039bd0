import type { INodeListSearchItems } from 'n8n-workflow';

/**
 * The one way pickers turn API records into searchable choices: map each record, keep those whose name
 * holds the typed filter (case-insensitive), and sort by name with numbers in numeric order.
 */
export function toChoices<T>(
	records: T[],
	toChoice: (record: T) => INodeListSearchItems,
	filter?: string,
): INodeListSearchItems[] {
	const needle = filter?.trim().toLowerCase() ?? '';
	return records
		.map(toChoice)
		.filter((choice) => !needle || choice.name.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}
