/** Types of packages.js (plain JS, so jest.config.js and the module resolver can load it). */
export interface RepositoryPackage {
	/** Its folder under packages/. */
	folder: string;
	/** Its npm name. */
	name: string;
	/** Its folder's absolute path. */
	root: string;
	/** The names of the nodes it holds. */
	nodes: string[];
}

export const PACKAGES: RepositoryPackage[];
export function nodeType(node: string): string;
export const PROJECT_ROOT: string;
