// @ts-check
/**
 * The repository's npm packages, one per service (n8n verifies only packages of one service): each folder under
 * packages/ holds a package.json, a README and the package's sources as links to nodes/ and credentials/
 * (scripts/packages.ts makes them). Read by the harness, the scripts and the real-n8n suite, so a node type's
 * full name (`<package>.<node>`) is written in one place.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** Each package with the nodes it holds (their `name` in the node description). */
const PACKAGES = [
	{ folder: 'kantata-ox', nodes: ['kantataOx', 'kantataOxTrigger'] },
	{ folder: 'moneybird', nodes: ['moneybird', 'moneybirdTrigger'] },
].map(({ folder, nodes }) => {
	const root = path.join(PROJECT_ROOT, 'packages', folder);
	const { name } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	return { folder, name, root, nodes };
});

/** A node's full type name, e.g. `moneybird` → `n8n-nodes-moneybird-payments.moneybird`; the `…Tool` n8n makes too. */
function nodeType(node) {
	const owner = PACKAGES.find((candidate) => candidate.nodes.includes(node.replace(/Tool$/, '')));
	if (!owner) throw new Error(`No package holds a node named "${node}"`);
	return `${owner.name}.${node}`;
}

module.exports = { PACKAGES, nodeType, PROJECT_ROOT };
