/** The ports and options of the dev scripts (`npm run dev`, `npm run sandbox`): asked for, checked, named. */
import net from 'node:net';

/** Whether nothing listens on `port` of 127.0.0.1 (where n8n and the sandbox listen). */
export async function portIsFree(port: number): Promise<boolean> {
	const server = net.createServer();
	const free = await new Promise<boolean>((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => resolve(true));
	});
	if (free) await new Promise((resolve) => server.close(resolve));
	return free;
}

/** Fails naming each port of `ports` (what it is for: its number) that something already listens on. */
export async function requireFreePorts(ports: Record<string, number>): Promise<void> {
	const busy: string[] = [];
	for (const [what, port] of Object.entries(ports)) if (port !== 0 && !(await portIsFree(port))) busy.push(`${port} (${what})`);
	if (busy.length) throw new Error(`Port ${busy.join(' and port ')} is already in use by another program. Choose free ports (docs/development.md).`);
}

/** `--<name>=value` on a script's command line. */
export const argValue = (name: string, argv = process.argv): string | undefined =>
	argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** The ports `npm run dev` and `npm run sandbox` listen on: `--port` (n8n), `--kantata-port`, `--moneybird-port`. */
export function devPorts(argv = process.argv): { n8n: number; kantata: number; moneybird: number } {
	const port = (option: string, variable: string, fallback: number) => {
		const given = argValue(option, argv) ?? process.env[variable];
		const value = given === undefined ? fallback : Number(given);
		if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`--${option}=${given} is not a port number`);
		return value;
	};
	return {
		n8n: port('port', 'N8N_PORT', 5678),
		kantata: port('kantata-port', 'SANDBOX_KANTATA_PORT', 4101),
		moneybird: port('moneybird-port', 'SANDBOX_MONEYBIRD_PORT', 4102),
	};
}
