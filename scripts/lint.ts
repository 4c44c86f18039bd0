/**
 * `npm run lint`: `n8n-node lint` in each package's folder as n8n's verification runs it (strict mode: the default
 * eslint.config.mjs, then `eslint .` over the package's sources and package.json), then ESLint on the
 * repository's own code (eslint.config.mjs at the top). A package passes as it is, or when its only findings are
 * the ones its maintainer's still-empty identity fields cause (scripts/identity.ts); those are listed, and
 * `npm run release:check` blocks a release on them.
 */
import { spawnSync } from 'node:child_process';

import { lintPackage } from './packageLint';
import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';

let failed = 0;
for (const { folder, root, name } of PACKAGES) {
	console.log(`n8n-node lint in packages/${folder} (${name}):`);
	failed += lintPackage(root, name);
}
console.log("ESLint on the repository's own code (scripts, tests, benchmarks, sandbox):");
failed += spawnSync('npx', ['eslint', '.'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status === 0 ? 0 : 1;
process.exit(failed === 0 ? 0 : 1);
