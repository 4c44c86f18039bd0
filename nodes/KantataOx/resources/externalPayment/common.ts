import type { INodeProperties } from 'n8n-workflow';

import { KANTATA_ID } from '../../../Kantata/kantataApi';
import { toId } from '../../../shared/validation';

export const show = (operation: string[], extra: Record<string, Array<string | boolean>> = {}) => ({
	show: { resource: ['externalPayment'], operation, ...extra },
});

export const kantataId = (value: unknown) => toId(value, KANTATA_ID);

export const includeOption: INodeProperties = {
	displayName: 'Include Related Records',
	name: 'include',
	type: 'multiOptions',
	options: [
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Project (Workspace)', value: 'workspace', description: 'Attached under `workspace`, as the API calls a project' },
		{ name: 'User', value: 'user' },
	],
	default: [],
	description: 'Records to attach to each payment, under `invoice`, `workspace` (the project) and `user`',
	routing: { send: { type: 'query', property: 'include', value: '={{ $value.join(",") || undefined }}' } },
};
