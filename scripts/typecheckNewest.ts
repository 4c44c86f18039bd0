/**
 * `npm run typecheck:newest`: type-checks `nodes/` and `credentials/` against the newest n8n-workflow on the
 * registry, as well as `npm run typecheck` does against the pinned one. n8n's installer can put the newest
 * release beside the package whatever n8n runs it, so an export it dropped must fail here, not in a user's run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { PROJECT_ROOT } from '../test/harness/packages';
import { cleanNpmEnv } from './communityInstall';
import { installPackages } from './n8nLocal';

const FOLDER = path.join(PROJECT_ROOT, '.cache', 'n8n-workflow-newest');

const view = spawnSync('npm', ['view', 'n8n-workflow', 'version'], { cwd: PROJECT_ROOT, env: cleanNpmEnv(), encoding: 'utf8' });
if (view.status !== 0) throw new Error(`npm view n8n-workflow version failed:\n${view.stderr}`);
const newest = view.stdout.trim();
// Types only: its native expression runtime is never built or loaded here.
installPackages(FOLDER, { 'n8n-workflow': newest });
console.log(`Type-checking nodes/ and credentials/ against n8n-workflow ${newest} (the newest release)`);
const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.newest.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
process.exit(tsc.status ?? 1);
