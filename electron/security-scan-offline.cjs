// Preloaded into the Electronegativity process by security-scan.ts. The scan must not depend on the
// network (its release-data check asks GitHub), and got 11, which the tool uses, crashes on Node 24 when it
// retries a failed request. Every lookup fails at once with a code got does not retry, so the tool reports
// "No connectivity?" and runs every local check.
const dns = require('node:dns');

dns.lookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  const error = Object.assign(new Error(`the security scan runs offline (${hostname})`), {
    code: 'ESCANOFFLINE',
  });
  process.nextTick(done, error);
};
