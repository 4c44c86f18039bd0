import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

/**
 * What n8n does at shutdown, for the engine parts a test file started: every execute context gets n8n-core's
 * SSH client manager (a container singleton), whose cleanup interval keeps the process alive until then.
 */
afterAll(() => {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});
