import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authenticateWithBearerToken, baseUrlProperty, baseUrlTest } from '../nodes/shared/auth';

export class MoneybirdApi implements ICredentialType {
	name = 'moneybirdApi';

	displayName = 'Moneybird API';

	icon: Icon = { light: 'file:../nodes/Moneybird/moneybird.svg', dark: 'file:../nodes/Moneybird/moneybird.dark.svg' };

	documentationUrl = 'https://developer.moneybird.com/authentication/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create a personal API token at https://moneybird.com/user/applications/new and tick the scopes Sales invoices and Settings (Settings lists financial and ledger accounts in the node, and lets the Moneybird Trigger register its webhook)',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		baseUrlProperty('https://moneybird.com/api/v2'),
	];

	authenticate: IAuthenticate = authenticateWithBearerToken;

	test: ICredentialTestRequest = baseUrlTest('/administrations.json');
}
