// The guide's child process (see guide-process.ts): VitePress's node API, restarted in place
// when its config changes (as the `vitepress dev` command does). It reports its address, or
// why it could not start, over IPC, and stops when its parent goes away, whichever way.
import { createServer } from 'vitepress';

const port = Number(process.env.DOJO_GUIDE_PORT);
let server;
async function boot() {
  server = await createServer('docs', { port, strictPort: true }, async () => {
    await server.close();
    await boot();
  });
  await server.listen();
}
try {
  await boot();
  process.send?.({ type: 'ready', url: server.resolvedUrls?.local?.[0] ?? 'http://localhost:' + port + '/' });
} catch (err) {
  const busy = err?.code === 'EADDRINUSE' || /already in use/i.test(String(err?.message));
  process.send?.({ type: 'error', busy, message: String(err?.stack ?? err) }, () => process.exit(1));
}
// Closing waits for Vite's work in flight (a dependency pre-bundle can take seconds): not forever.
const stop = async () => {
  setTimeout(() => process.exit(0), 3000).unref();
  await server?.close().catch(() => undefined);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.once('disconnect', stop);
