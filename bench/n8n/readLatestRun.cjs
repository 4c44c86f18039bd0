/**
 * Prints, as JSON, the run data n8n stored for the latest execution of one workflow. Run with the Node of that
 * n8n (`node readLatestRun.cjs <n8n install folder> <database.sqlite> <workflow id>`): it reads the database with
 * n8n's own sqlite3 module (built for that Node) and n8n's own serialisation library (flatted).
 */
const path = require('node:path');

const [installFolder, databaseFile, workflowId] = process.argv.slice(2);
const fromN8n = (name) => require(require.resolve(name, { paths: [path.join(installFolder, 'node_modules', 'n8n')] }));
const sqlite3 = fromN8n('sqlite3');
const { parse } = fromN8n('flatted');

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) fail(openError);
	db.get(
		`SELECT e.id, e.status, d.data FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1`,
		[workflowId],
		(queryError, row) => {
			if (queryError) fail(queryError);
			if (!row) fail(new Error(`no stored execution of workflow ${workflowId}`));
			process.stdout.write(JSON.stringify({ id: String(row.id), status: row.status, data: parse(row.data) }));
			db.close();
		},
	);
});

function fail(error) {
	console.error(error);
	process.exit(1);
}
