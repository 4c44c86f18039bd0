/**
 * The real-n8n suite (`npm run test:n8n`): real n8n processes against the sandbox APIs, one major per test file.
 * Files run one after another (`--runInBand` in the script): each drives n8n processes that use both cores.
 */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/real-n8n'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// Installs (first run only), user folders, CLI start-ups and a rate-limited batch take minutes, not seconds.
	testTimeout: 600_000,
	// A guard: every n8n process and server the suite starts is stopped in its own afterAll, but a CI run must
	// not wait on a handle a child's pipe might leave behind.
	forceExit: true,
};
