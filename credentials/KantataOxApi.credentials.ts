import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authenticateWithBearerToken, baseUrlProperty, baseUrlTest } from '../nodes/shared/auth';

export class KantataOxApi implements ICredentialType {
	name = 'kantataOxApi';

	displayName = 'Kantata OX API';

	icon: Icon = { light: 'file:../nodes/KantataOx/kantataOx.svg', dark: 'file:../nodes/KantataOx/kantataOx.dark.svg' };

	documentationUrl = 'https://developer.kantata.com/kantata/specification/authentication';

	properties: INodeProperties[] = [
		{
			displayName:
				'Get a personal token: an account administrator registers an application at https://app.mavenlink.com/oauth/applications; its page then lets you create a token for yourself (it acts with your permissions)',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A token of your own: register an application at https://app.mavenlink.com/oauth/applications (account administrators), then create a token for yourself on its page',
		},
		baseUrlProperty('https://api.mavenlink.com/api/v1'),
	];

	authenticate: IAuthenticate = authenticateWithBearerToken;

	test: ICredentialTestRequest = baseUrlTest('/users/me.json');
}
