'use strict';
// autocannon's `setupRequest` for the redeem bench, loaded inside autocannon's worker thread
// (a worker can only take functions as module paths). Every request, whichever connection sends
// it, takes the next token of one shared list: round-robin for `validate`, each token once for
// `redeem`. The list and where to start come from the environment the bench sets before each
// round (a worker copies the environment when it starts).
const { readFileSync } = require('node:fs');

const tokens = JSON.parse(readFileSync(process.env.BENCH_REDEEM_TOKENS, 'utf8'));
const cycle = process.env.BENCH_REDEEM_CYCLE === '1';
let next = Number(process.env.BENCH_REDEEM_OFFSET ?? 0);

module.exports = function setupRequest(request) {
  const index = next++;
  if (!cycle && index >= tokens.length) throw new Error('the redeem bench ran out of vouchers');
  const token = tokens[index % tokens.length];
  const body = cycle ? { token } : { token, clientRedemptionId: `till-redeem-${index}` };
  return { ...request, body: JSON.stringify(body) };
};
