#!/usr/bin/env node
// The send work of checkind done by a BullMQ worker, for
// scripts/bench-dispatch.sh: one job per member of a group; the worker reads
// the member hash (checkin:member:<id>), renders the reminder text
// (checkind's default English template), POSTs the form to the Twilio
// stand-in's Messages.json with basic auth (keep-alive agent) and records
// the sid in Redis (HSET bench:bullmq:sent <member> <sid>).
// All jobs are enqueued first (addBulk), then the drain is timed.
// Prints one JSON line: {"jobs", "completed", "failed", "seconds", "per_second"}.
//
//   node worker.js --redis-port P --api-base http://127.0.0.1:Q --group g
//       [--account-sid AC..] [--auth-token T] [--from +44..] [--concurrency 100]
//       [--title T --day D --time HH:MM --venue V]
'use strict';
const http = require('http');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');

const args = {
  'redis-port': '6379', 'api-base': '', group: 'g', 'account-sid': 'AC00000000000000000000000000000000',
  'auth-token': process.env.TWILIO_AUTH_TOKEN || '', from: '+447700900000', concurrency: '100',
  title: 'Bench group', day: 'today', time: '12:00', venue: 'Bench hall', timeout: '120',
};
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in args)) { console.error(`worker.js: unknown option ${process.argv[i]}`); process.exit(2); }
  args[k] = process.argv[i + 1];
}
const api = new URL(args['api-base']);
const auth = 'Basic ' + Buffer.from(`${args['account-sid']}:${args['auth-token']}`).toString('base64');
const path = `/2010-04-01/Accounts/${args['account-sid']}/Messages.json`;
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(args.concurrency) });
const connection = { host: '127.0.0.1', port: Number(args['redis-port']), maxRetriesPerRequest: null };

function render(member) {  // checkind's default "reminder" template
  return `Hi ${member.name}, ${args.title} is ${args.day} at ${args.time}, ${args.venue}. ` +
         `We'd love to see you! Reply Y if you're coming, N if not.`;
}

function post(form) {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: api.hostname, port: api.port, path, method: 'POST', agent,
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded',
                 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => {
        if (res.statusCode !== 201) return reject(new Error(`HTTP ${res.statusCode}: ${data.slice(0, 200)}`));
        try { resolve(JSON.parse(data).sid); } catch (e) { reject(e); }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const redis = new IORedis(connection);
  const members = await redis.smembers(`checkin:group:${args.group}:members`);
  const queue = new Queue('checkin-bench', { connection });
  await queue.obliterate({ force: true }).catch(() => {});
  await redis.del('bench:bullmq:sent');
  for (let i = 0; i < members.length; i += 1000) {
    await queue.addBulk(members.slice(i, i + 1000).map((m) => ({
      name: 'reminder', data: { member: m },
      opts: { jobId: `reminder:${m}`, removeOnComplete: true, removeOnFail: false, attempts: 1 },
    })));
  }

  let completed = 0, failed = 0, t0 = 0;
  const done = new Promise((resolve) => {
    const check = () => { if (completed + failed >= members.length) resolve(); };
    const worker = new Worker('checkin-bench', async (job) => {
      const id = job.data.member;
      const member = await redis.hgetall(`checkin:member:${id}`);
      const sid = await post({ To: member.phone, From: args.from, Body: render(member) });
      await redis.hset('bench:bullmq:sent', id, sid);
      return sid;
    }, { connection, concurrency: Number(args.concurrency), autorun: false });
    worker.on('completed', () => { ++completed; check(); });
    worker.on('failed', (job, err) => {
      ++failed;
      if (failed <= 3) console.error(`worker.js: job ${job && job.id} failed: ${err.message}`);
      check();
    });
    t0 = process.hrtime.bigint();
    worker.run();
    setTimeout(resolve, Number(args.timeout) * 1000).unref();
    module.exports.worker = worker;
  });
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ jobs: members.length, completed, failed, seconds: +seconds.toFixed(3),
                               per_second: Math.round(completed / seconds) }));
  await module.exports.worker.close(true);
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  redis.disconnect();
  agent.destroy();
}

main().then(() => process.exit(0), (e) => { console.error(`worker.js: ${e.stack || e}`); process.exit(1); });
