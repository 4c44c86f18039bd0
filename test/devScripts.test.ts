import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * `npm run dev` and `npm run sandbox` on a port another program holds: they name the port and fail, starting
 * nothing (before, n8n's editor URL then showed the other program, and the command exited 0).
 */
const root = path.resolve(__dirname, '..');
let holder: net.Server;
let busy = 0;

beforeAll(async () => {
	holder = net.createServer();
	await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
	busy = (holder.address() as net.AddressInfo).port;
});
afterAll(async () => await new Promise((resolve) => holder.close(resolve)));

/** A free port (nothing listens on it once this returns). */
async function free(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

const run = (script: string, args: string[]) =>
	spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('the dev scripts on a busy port', () => {
	it("npm run dev: n8n's port in use is named, and it fails before building or starting anything", async () => {
		const result = run('dev.ts', [`--port=${busy}`, `--kantata-port=${await free()}`, `--moneybird-port=${await free()}`]);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`Port ${busy} (n8n's editor, --port) is already in use`);
		expect(result.stdout).not.toContain('build');
	});

	it('npm run sandbox: a sandbox port in use is named, without a stack trace', async () => {
		const result = run('sandbox.ts', [`--kantata-port=${busy}`, `--moneybird-port=${await free()}`]);
		expect(result.status).toBe(1);
		expect(result.stderr.trim()).toBe(
			`npm run sandbox: Port ${busy} (the Kantata OX sandbox, --kantata-port) is already in use by another program. Choose free ports (docs/development.md).`,
		);
	});
});
