/**
 * Preloaded into an n8n process (`node --require`) by `npm run bench:n8n-profile`: counts how often n8n evaluates
 * each expression text, and writes the counts as JSON to the file in BENCH_EXPRESSION_COUNTS when the process exits.
 * It wraps `resolveSimpleParameterValue` of the n8n-workflow `Expression` class, the one place both majors render a
 * parameter's expression.
 */
'use strict';
const Module = require('node:module');
const { writeFileSync } = require('node:fs');

const counts = {};
const patched = new Set();
const originalRequire = Module.prototype.require;
Module.prototype.require = function (id) {
	const exported = originalRequire.apply(this, arguments);
	if (id === 'n8n-workflow' && exported && exported.Expression && !patched.has(exported.Expression)) {
		patched.add(exported.Expression);
		const prototype = exported.Expression.prototype;
		const resolve = prototype.resolveSimpleParameterValue;
		prototype.resolveSimpleParameterValue = function (parameterValue) {
			if (typeof parameterValue === 'string') counts[parameterValue] = (counts[parameterValue] || 0) + 1;
			return resolve.apply(this, arguments);
		};
	}
	return exported;
};
process.on('exit', () => {
	if (process.env.BENCH_EXPRESSION_COUNTS) writeFileSync(process.env.BENCH_EXPRESSION_COUNTS, JSON.stringify(counts));
});
