/**
 * Run by 05_memory_test.ts: one `runFetch` of the lesson 5 fetch.ts named on
 * the command line, against the URL given, printing nothing of the exchange.
 * Prints one JSON line: the resident set size before and the highest seen
 * during and after, in bytes, and how the fetch ended.
 *
 * @module
 */
const [module, url] = Deno.args;
const { runFetch } = await import(module);
const before = Deno.memoryUsage().rss;
let peak = before;
const sample = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 5);
let ended = "ok";
try {
  await runFetch({ url, maxRedirects: 0, verbose: false, timeoutMs: 60_000, log: () => {} });
} catch (error) {
  ended = error instanceof Error ? error.message.slice(0, 200) : String(error);
}
clearInterval(sample);
peak = Math.max(peak, Deno.memoryUsage().rss);
console.log(JSON.stringify({ before, peak, ended }));
