// An independent Prometheus scraper: fetches a /metrics page over HTTP and parses it with
// parse-prometheus-text-format (not the Java client that wrote it), then prints one JSON object:
// {"contentType": "...", "families": [{"name", "type", "help", "metrics": [{"labels", "value"}]}]}.
//
// Usage: node scrape.js <url>
'use strict';

const parsePrometheusTextFormat = require('parse-prometheus-text-format');

async function main() {
  const [url] = process.argv.slice(2);
  // Prometheus' own Accept header: the text format, version 0.0.4.
  const response = await fetch(url, { headers: { Accept: 'text/plain;version=0.0.4' } });
  if (response.status !== 200) {
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  }
  const families = parsePrometheusTextFormat(await response.text());
  process.stdout.write(
    JSON.stringify({ contentType: response.headers.get('content-type'), families }) + '\n'
  );
}

main().catch((e) => {
  process.stderr.write(String(e.stack || e) + '\n');
  process.exit(1);
});
