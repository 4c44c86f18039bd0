// The engine (N8N_ENGINE=1|2|mixed) decides which n8n-core and n8n-workflow the tests run with, and where the
// package is loaded from; engineResolver.js resolves modules accordingly. scripts/engineTest.ts installs engines 2 and mixed.
const { existsSync } = require('node:fs');
const path = require('node:path');

const { selectedEngine } = require('./test/harness/engines');

const engine = selectedEngine();
for (const needed of [engine.packageRoot, path.join(engine.engineRoot, 'node_modules', 'n8n-core')]) {
	if (!existsSync(needed)) {
		throw new Error(`Engine ${engine.name} is not installed here (${needed} is missing): npm run test:engine2 or test:mixed installs it.`);
	}
}

/** @type {import('jest').Config} */
module.exports = {
	displayName: `engine ${engine.name}`,
	resolver: '<rootDir>/test/harness/engineResolver.js',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/harness/setupEnv.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/engineShutdown.ts'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type-checking is `npm run typecheck`; here we only strip types so the suite starts fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
};
