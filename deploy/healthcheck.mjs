// The image's HEALTHCHECK: exits 0 when this container's gateway answers GET /health, 1 otherwise.
const port = process.env.PORT ?? '4000';
const timeout = AbortSignal.timeout(2_500);
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: timeout });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
