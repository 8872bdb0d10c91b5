// The load generator of the HTTP benches, in a process of its own, run by plain `node`: its event
// loop, heap and garbage collections are not the harness's (which holds the seed's bookkeeping and
// runs under tsx), so a pause of the harness never shows up as server latency.
//
//   node bench/support/load-runner.mjs '<json options>'
//     { url, connections, seconds, maxRequests, headers, paths }
//
// Closed loop: each client sends its next request as soon as the last one answers, rotating
// through `paths`. Prints one JSON line: requests, seconds, non2xx, errors and every latency
// percentile the benches report, computed from each response's own time.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
const times = [];
const instance = autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  maxOverallRequests: options.maxRequests,
  headers: options.headers ?? {},
  requests: options.paths.map((path) => ({ method: 'GET', path })),
});
instance.on('response', (_client, _status, _bytes, responseTime) => {
  times.push(responseTime);
});
instance.on('done', (result) => {
  const sorted = Float64Array.from(times).sort();
  const percentile = (p) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      seconds: result.duration,
      non2xx: result.non2xx,
      errors: result.errors,
      p50: percentile(50),
      p95: percentile(95),
      p99: percentile(99),
    })}\n`,
  );
});
