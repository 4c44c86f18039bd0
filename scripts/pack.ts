/** `npm run pack`: both packages packed as npm publishes them, into release/ (what the GitHub release attaches). */
import path from 'node:path';

import { packPackages, PROJECT_ROOT } from './communityInstall';

for (const tarball of packPackages(path.join(PROJECT_ROOT, 'release'), { build: false })) console.log(path.relative(process.cwd(), tarball));
