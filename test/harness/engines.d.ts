/** Types of engines.js (plain JS, so jest.config.js and the module resolver can load it). */
export interface Engine {
	name: '1' | '2' | 'mixed';
	/** The folder whose node_modules hold the engine's n8n-core and n8n-workflow (n8n's own modules). */
	engineRoot: string;
	/** Installed into `engineRoot` on demand; absent for the project's own devDependencies. */
	engineDependencies?: Record<string, string>;
	/** The version of a Node other than the one running the scripts, installed on demand from the registry. */
	node?: string;
	/** The user folder the package is installed into like n8n installs it; absent when loaded from the working copy. */
	userFolder?: string;
	/** Extra packages put beside the package in the user folder, as another community package would. */
	besidePackage?: Record<string, string>;
	/** The folders the packages under test are loaded from (each one's package.json and dist), one per package. */
	packageRoots: string[];
}

export function selectedEngine(): Engine;
export const NODE_24: string;
/** The Node for n8n 2.x and engine 2: NODE_24, or N8N_NODE_VERSION. */
export function node2(): string;
/** The repository's name, which names its cache folder. */
export const REPOSITORY_NAME: string;
