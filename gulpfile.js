const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n also needs each node's and credential's icon and codex file beside it.
function buildIcons() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
