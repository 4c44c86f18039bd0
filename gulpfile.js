const path = require('node:path');
const { parallel, src, dest } = require('gulp');

const { PACKAGES } = require('./test/harness/packages');

// tsc emits only JavaScript (and the codex files); n8n also needs each node's icons beside it (the credentials
// point at them too), in the dist/ of each package folder (packages/<folder>).
function icons({ folder, root }) {
	const { n8n } = require(path.join(root, 'package.json'));
	const nodeFolders = n8n.nodes.map((file) => path.dirname(file.replace(/^dist\//, '')));
	const copy = () =>
		src(
			nodeFolders.map((nodeFolder) => `${nodeFolder}/*.{png,svg}`),
			{ base: '.', encoding: false },
		).pipe(dest(path.join(root, 'dist')));
	copy.displayName = `icons of packages/${folder}`;
	return copy;
}

exports['build:icons'] = parallel(PACKAGES.map(icons));
