import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, baseUrlTest } from '../nodes/shared/baseUrl';
import { authenticateWithBearerToken } from '../nodes/shared/bearerToken';

export class MoneybirdApi implements ICredentialType {
	name = 'moneybirdApi';

	displayName = 'Moneybird API';

	icon: Icon = { light: 'file:../nodes/Moneybird/moneybird.svg', dark: 'file:../nodes/Moneybird/moneybird.dark.svg' };

	documentationUrl = 'https://developer.moneybird.com/authentication/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create a personal API token at https://moneybird.com/user/applications/new and tick the scopes Sales invoices and Settings (settings lists financial and ledger accounts in the node)',
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
