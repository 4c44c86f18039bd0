// @ts-check
/**
 * jest's module resolver, set up as n8n's process is: the test code plays n8n, so its `n8n-core`, `@n8n/di` and
 * `n8n-workflow` are the selected engine's; everything else resolves as node resolves it from where the file
 * is (an installed package first finds what is beside it), with the engine's node_modules last, as n8n puts
 * its own module paths on NODE_PATH. A global moduleNameMapper could not give the package another copy.
 */
const path = require('node:path');

const { selectedEngine } = require('./engines');
const { PROJECT_ROOT } = require('./packages');

const engine = selectedEngine();
const engineModules = path.join(engine.engineRoot, 'node_modules');
const ENGINE_PACKAGES = /^(n8n-core|n8n-workflow|@n8n\/di)(\/|$)/;

/** A file of this project (tests, harness, working-copy dist), not of an installed package. */
function isHostFile(basedir) {
	const relative = path.relative(PROJECT_ROOT, basedir);
	return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split(path.sep).includes('node_modules');
}

/** @type {(request: string, options: any) => string} */
module.exports = (request, options) => {
	if (ENGINE_PACKAGES.test(request) && isHostFile(options.basedir)) {
		return options.defaultResolver(request, { ...options, basedir: engine.engineRoot });
	}
	return options.defaultResolver(request, { ...options, paths: [...(options.paths ?? []), engineModules] });
};
