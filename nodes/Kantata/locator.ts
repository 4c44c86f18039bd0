import type { INodeProperties } from 'n8n-workflow';

/** A Kantata record picker (project or invoice), used by both Kantata nodes: from the list, by ID, or by URL. */
export function locator(name: string, label: string, path: 'workspaces' | 'invoices', searchListMethod: string): INodeProperties {
	return {
		displayName: label,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '123456',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: `Not a valid ${label.toLowerCase()} ID` } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://app.mavenlink.com/${path}/123456`,
				extractValue: { type: 'regex', regex: `https://[^/]+/${path}/(\\d+)` },
				validation: [
					{
						type: 'regex',
						properties: { regex: `https://[^/]+/${path}/(\\d+).*`, errorMessage: `Not a Kantata OX ${label.toLowerCase()} URL` },
					},
				],
			},
		],
	};
}

export const projectLocator = (): INodeProperties => locator('project', 'Project', 'workspaces', 'searchProjects');
export const invoiceLocator = (): INodeProperties => locator('invoice', 'Invoice', 'invoices', 'searchInvoices');
