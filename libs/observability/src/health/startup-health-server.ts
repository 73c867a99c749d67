import { createServer, type Server } from 'node:http';

/**
 * Answers the health endpoints on the service's port while Nest initialises, which can take
 * minutes: bootstrap hooks wait for dependencies that are being retried. `/health/live`
 * says the process is up (so a liveness probe does not restart-loop a service whose
 * database is down), `/health/ready` says it is not ready yet, anything else 503. Nest's
 * own listener takes the port over once initialised.
 */
export async function startStartupHealthServer(port: number, host: string, service: string): Promise<{ close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const [status, body] =
      path === '/health/live'
        ? [200, { status: 'ok' }]
        : [503, { ready: false, checks: { startup: { ok: false, error: `${service} is starting: waiting for its dependencies (the logs name the one being retried)` } } }];
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
