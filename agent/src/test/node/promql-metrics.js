// Reads Grafana dashboard JSON files, parses every target's PromQL with the Prometheus project's
// own grammar (@prometheus-io/lezer-promql) and prints, per file, the expressions, the metric
// names they select and any syntax errors, as one JSON object:
// {"<file>": {"exprs": [...], "metrics": [...], "errors": [...]}}.
//
// Usage: node promql-metrics.js <dashboard.json>...
'use strict';

const fs = require('fs');
const { parser } = require('@prometheus-io/lezer-promql');

function panelsOf(dashboard) {
  const out = [];
  const walk = (panels) => {
    for (const p of panels || []) {
      out.push(p);
      walk(p.panels); // collapsed rows keep their panels inside
    }
  };
  walk(dashboard.panels);
  return out;
}

function analyse(expr) {
  const metrics = new Set();
  const errors = [];
  const tree = parser.parse(expr);
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) {
      errors.push(`syntax error at ${cursor.from} in: ${expr}`);
    }
    if (cursor.name === 'VectorSelector') {
      const selector = cursor.node.getChild('Identifier');
      if (selector) {
        metrics.add(expr.slice(selector.from, selector.to));
      }
    }
  } while (cursor.next());
  return { metrics, errors };
}

const result = {};
for (const file of process.argv.slice(2)) {
  const dashboard = JSON.parse(fs.readFileSync(file, 'utf8'));
  const exprs = [];
  const metrics = new Set();
  const errors = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets || []) {
      if (typeof target.expr !== 'string') {
        continue;
      }
      // Grafana's interval variables are not PromQL: put a duration in their place.
      const expr = target.expr.replace(/\$__(rate_interval|interval|range)/g, '5m');
      exprs.push(target.expr);
      const found = analyse(expr);
      found.metrics.forEach((m) => metrics.add(m));
      errors.push(...found.errors);
    }
  }
  // Template variables that query Prometheus name metrics too.
  for (const variable of (dashboard.templating && dashboard.templating.list) || []) {
    const q = typeof variable.query === 'string' ? variable.query : variable.query && variable.query.query;
    const m = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(q || '');
    if (m) {
      metrics.add(m[1]);
    }
  }
  result[file] = { exprs, metrics: [...metrics].sort(), errors };
}
process.stdout.write(JSON.stringify(result) + '\n');
