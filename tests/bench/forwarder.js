#!/usr/bin/env node
// forwarder.js: what a group would set up instead of checkind, for
// scripts/bench-safeguarding.sh: a Twilio webhook app that texts every
// inbound SMS on to the coordinator. Node's built-in http module only.
//
//   node tests/bench/forwarder.js --port-file F --public-url URL --api-base URL
//        --account-sid AC... --coordinator +44... [--from +44...]
//        (auth token from $TWILIO_AUTH_TOKEN)
//
// POST /twilio/sms, as a Twilio Function would handle it: the signature is
// checked (X-Twilio-Signature over --public-url + /twilio/sms; 403 when
// wrong), a Message "Text from <From>: <Body>" is created for the
// coordinator through the Messages API at --api-base (basic auth, one
// keep-alive agent), and once Twilio accepted it the answer is an empty
// TwiML <Response/>. A failed forward answers 500. GET /healthz: 200.
//
// What it does not do, by design (it is the plain alternative): no concern
// detection, no helplines in the answer, no exactly-once (Twilio's retry of
// a webhook forwards twice), no escalation, no quiet hours, and it forwards
// every reply, "yes" and "no" included. It listens on 127.0.0.1 only and
// stops on SIGTERM / SIGINT.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');

function args(argv) {
  const o = { from: '+447700900000', host: '127.0.0.1', port: 0 };
  const names = { '--port': 'port', '--port-file': 'portFile', '--public-url': 'publicUrl', '--api-base': 'apiBase',
                  '--account-sid': 'accountSid', '--coordinator': 'coordinator', '--from': 'from' };
  for (let i = 2; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) {
      if (argv[i] === '-h' || argv[i] === '--help') {
        const head = fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 21);
        process.stdout.write(head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
        process.exit(0);
      }
      console.error(`forwarder: unknown option ${argv[i]}`);
      process.exit(2);
    }
    o[key] = argv[i + 1];
  }
  for (const k of ['publicUrl', 'apiBase', 'accountSid', 'coordinator']) {
    if (!o[k]) { console.error(`forwarder: --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} is required`); process.exit(2); }
  }
  o.token = process.env.TWILIO_AUTH_TOKEN || '';
  if (!o.token) { console.error('forwarder: $TWILIO_AUTH_TOKEN is not set'); process.exit(2); }
  o.publicUrl = o.publicUrl.replace(/\/$/, '');
  return o;
}

const o = args(process.argv);

// Twilio's signature: HMAC-SHA1 over the URL and the sorted name+value pairs.
function signature(url, params) {
  let data = url;
  for (const k of Object.keys(params).sort()) data += k + params[k];
  return crypto.createHmac('sha1', o.token).update(data, 'utf8').digest('base64');
}

function validSignature(given, expected) {
  const a = Buffer.from(given || '');
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const api = new URL(o.apiBase);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const auth = 'Basic ' + Buffer.from(`${o.accountSid}:${o.token}`).toString('base64');
const messagesPath = `/2010-04-01/Accounts/${o.accountSid}/Messages.json`;

// POST Messages.json; resolves with the HTTP status.
function createMessage(to, from, body) {
  const form = new URLSearchParams({ To: to, From: from, Body: body }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: api.hostname, port: api.port, path: messagesPath, method: 'POST', agent,
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded',
                 'Content-Length': Buffer.byteLength(form) },
      timeout: 15000,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(form);
  });
}

function answer(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return answer(res, 200, 'text/plain', 'ok\n');
  if (req.method !== 'POST' || req.url !== '/twilio/sms') return answer(res, 404, 'text/plain', 'not found\n');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    if (!validSignature(req.headers['x-twilio-signature'], signature(o.publicUrl + '/twilio/sms', params))) {
      return answer(res, 403, 'text/plain', 'bad signature\n');
    }
    try {
      const status = await createMessage(o.coordinator, params.To || o.from, `Text from ${params.From}: ${params.Body}`);
      if (status !== 201) throw new Error(`Twilio answered ${status}`);
      answer(res, 200, 'text/xml', '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    } catch (e) {
      answer(res, 500, 'text/plain', `forward failed: ${e.message}\n`);
    }
  });
});
server.keepAliveTimeout = 65000;  // the load's keep-alive connections stay open
server.listen(Number(o.port), o.host, () => {
  const port = server.address().port;
  if (o.portFile) {
    fs.writeFileSync(o.portFile + '.tmp', `${port}\n`);
    fs.renameSync(o.portFile + '.tmp', o.portFile);
  }
  console.error(`forwarder: listening on http://${o.host}:${port}, forwarding to ${o.coordinator}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { server.close(); agent.destroy(); process.exit(0); });
}
