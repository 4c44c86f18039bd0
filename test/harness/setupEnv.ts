import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core writes its instance settings under N8N_USER_FOLDER (default ~/.n8n); keep tests out of the home folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'n8n-nodes-test-'));
// ...and writes that settings file readable by its owner only (otherwise it prints a warning in every test file).
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'true';
// n8n-core 2.x logs every node error through its own logger to the console; the tests look at the errors themselves.
process.env.N8N_LOG_LEVEL ??= 'silent';
