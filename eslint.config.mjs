import { config } from '@n8n/node-cli/eslint';

/**
 * The repository's own code: scripts, tests, benchmarks and the sandbox APIs, which never ship and may read files,
 * the environment and processes. The shipped code (nodes/, credentials/) is linted in each package's folder
 * by `n8n-node lint` in strict mode, with n8n's default config and the package.json that registers it
 * (`npm run lint`, scripts/lint.ts).
 */
export default [
	{ ignores: ['packages/**', 'nodes/**', 'credentials/**', 'package.json'] },
	...config,
	{
		files: ['scripts/**', 'test/**', 'bench/**', 'sandbox/**', '*.js', '*.mjs'],
		rules: {
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'no-console': 'off',
		},
	},
];
