/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/harness/setupEnv.ts'],
	testMatch: ['**/*.test.ts'],
	// The real-n8n suite has its own config and script (jest.real.config.js, `npm run test:n8n`).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/real-n8n/'],
	transform: {
		// Type-checking is `npm run typecheck`; here we only strip types so the suite starts fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
	// n8n-core keeps module-level state alive after a run (no handle is visible to the tests themselves);
	// every server and timer the tests start is stopped in their own teardown.
	forceExit: true,
};
