/**
 * Prints, as JSON, the executions n8n stored for one workflow, oldest first (or only the latest, with `latest`):
 * id, status, mode and the run data. Run with the Node of that n8n
 * (`node readExecutions.cjs <n8n install folder> <database.sqlite> <workflow id> [latest]`): it reads the database
 * with n8n's own sqlite3 module (built for that Node) and n8n's own serialisation library (flatted).
 */
const path = require('node:path');

const [installFolder, databaseFile, workflowId, which] = process.argv.slice(2);
const fromN8n = (name) => require(require.resolve(name, { paths: [path.join(installFolder, 'node_modules', 'n8n')] }));
const sqlite3 = fromN8n('sqlite3');
const { parse } = fromN8n('flatted');

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) fail(openError);
	db.all(
		`SELECT e.id, e.status, e.mode, d.data FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id ${which === 'latest' ? 'DESC LIMIT 1' : ''}`,
		[workflowId],
		(queryError, rows) => {
			if (queryError) fail(queryError);
			const executions = rows.map(({ data, ...row }) => ({ ...row, id: String(row.id), data: parse(data) }));
			process.stdout.write(JSON.stringify(executions));
			db.close();
		},
	);
});

function fail(error) {
	console.error(error);
	process.exit(1);
}
