import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, baseUrlTest } from '../nodes/shared/auth';

export class KantataOxOAuth2Api implements ICredentialType {
	name = 'kantataOxOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Kantata OX OAuth2 API';

	icon: Icon = { light: 'file:../nodes/KantataOx/kantataOx.svg', dark: 'file:../nodes/KantataOx/kantataOx.dark.svg' };

	documentationUrl = 'https://developer.kantata.com/kantata/specification/authentication';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://app.mavenlink.com/oauth/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://app.mavenlink.com/oauth/token',
		},
		// Kantata OX declares no scopes: a token acts with its user's own permissions.
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		// The token endpoint takes client_id and client_secret in the form body.
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		baseUrlProperty('https://api.mavenlink.com/api/v1'),
	];

	test: ICredentialTestRequest = baseUrlTest('/users/me.json');
}
