import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, baseUrlTest } from '../nodes/shared/auth';

export class MoneybirdOAuth2Api implements ICredentialType {
	name = 'moneybirdOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Moneybird OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Moneybird/moneybird.svg', dark: 'file:../nodes/Moneybird/moneybird.dark.svg' };

	documentationUrl = 'https://developer.moneybird.com/authentication/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Register an application at https://moneybird.com/user/applications/new. This credential asks for two scopes: sales_invoices (invoices and their payments) and settings (the financial and ledger account lists in the node, and the webhook of the Moneybird Trigger).',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: 'https://moneybird.com/oauth/authorize' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: 'https://moneybird.com/oauth/token' },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'sales_invoices settings' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		baseUrlProperty('https://moneybird.com/api/v2'),
	];

	test: ICredentialTestRequest = baseUrlTest('/administrations.json');
}
