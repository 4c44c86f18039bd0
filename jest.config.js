// The engine (N8N_ENGINE=1|2|mixed) decides which n8n-core and n8n-workflow the tests run with, and where the
// package is loaded from; engineResolver.js resolves modules accordingly. scripts/engineTest.ts installs engines 2 and mixed.
const { existsSync } = require('node:fs');
const path = require('node:path');

const { selectedEngine } = require('./test/harness/engines');

const engine = selectedEngine();
for (const needed of [...engine.packageRoots, path.join(engine.engineRoot, 'node_modules', 'n8n-core')]) {
	if (!existsSync(needed)) {
		throw new Error(`Engine ${engine.name} is not installed here (${needed} is missing): npm run test:engine2 or test:mixed installs it.`);
	}
}

/** @type {import('jest').Config} */
module.exports = {
	displayName: `engine ${engine.name}`,
	resolver: '<rootDir>/test/harness/engineResolver.js',
	testEnvironment: 'node',
	// The sandbox APIs' own tests live beside them (sandbox/**/*.test.ts).
	roots: ['<rootDir>/test', '<rootDir>/sandbox'],
	setupFiles: ['<rootDir>/test/harness/setupEnv.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/engineShutdown.ts'],
	testMatch: ['**/*.test.ts'],
	// The real-n8n suite has its own config and script (jest.real.config.js, `npm run test:n8n`).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/real-n8n/'],
	transform: {
		// Type-checking is `npm run typecheck`; here we only strip types so the suite starts fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
};
