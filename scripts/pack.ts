/** `npm run pack`: both packages packed as npm publishes them, into release/ (what the GitHub release attaches). */
import path from 'node:path';

import { PROJECT_ROOT } from '../test/harness/packages';
import { packPackages } from './communityInstall';

for (const tarball of packPackages(path.join(PROJECT_ROOT, 'release'), { build: false })) console.log(path.relative(process.cwd(), tarball));
