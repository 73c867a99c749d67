import { startStartupHealthServer } from './startup-health-server';

describe('startup health server', () => {
  it('answers live 200 and ready 503 until closed, then frees the port for Nest', async () => {
    const server = await startStartupHealthServer(18_791, '127.0.0.1', 'baseline');
    const live = await fetch('http://127.0.0.1:18791/health/live');
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch('http://127.0.0.1:18791/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { startup: { ok: false } } });
    await server.close();
    const again = await startStartupHealthServer(18_791, '127.0.0.1', 'baseline');
    await again.close();
  });
});
