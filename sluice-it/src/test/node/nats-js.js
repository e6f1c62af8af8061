// nats.js: core pub/sub, request-reply, and (when asked) JetStream publish + pull consume.
// Prints "SUB <subject> <data>", "REPLY <data>", "JS-ACK <stream> <seq>", "JS-MSG <seq> <subject> <data>".
// Usage: node nats-js.js <server> <prefix> <count> [jetstream|jetstream-plain]
// "jetstream" publishes with a Nats-Msg-Id header (de-duplication id); "jetstream-plain" without, which makes nats.js
// send an HPUB with an empty (0-byte) header block.
'use strict';
const { connect, StringCodec, AckPolicy } = require('nats');

const [server, prefix, countArg, mode] = process.argv.slice(2);
const count = Number(countArg);
const sc = StringCodec();

async function main() {
  const nc = await connect({ servers: server, reconnect: false, timeout: 20000 });

  // pub/sub through a wildcard subscription
  const sub = nc.subscribe(`${prefix}.events.*`, { max: count });
  const received = (async () => {
    for await (const m of sub) console.log(`SUB ${m.subject} ${sc.decode(m.data)}`);
  })();
  await nc.flush();
  for (let i = 0; i < count; i++) nc.publish(`${prefix}.events.e${i}`, sc.encode(`event-${i}`));
  await received;

  // request-reply with a responder on the same connection
  const svc = nc.subscribe(`${prefix}.echo`);
  (async () => {
    for await (const m of svc) m.respond(sc.encode(`echo:${sc.decode(m.data)}`));
  })();
  await nc.flush();
  for (let i = 0; i < 3; i++) {
    const r = await nc.request(`${prefix}.echo`, sc.encode(`ping-${i}`), { timeout: 10000 });
    console.log(`REPLY ${sc.decode(r.data)}`);
  }
  svc.unsubscribe();

  if (mode === 'jetstream' || mode === 'jetstream-plain') {
    console.log('STEP jetstream manager');
    const jsm = await nc.jetstreamManager({ timeout: 20000 });
    const stream = `${prefix.toUpperCase()}_JS`;
    console.log('STEP add stream');
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.js.>`] });
    const js = nc.jetstream({ timeout: 20000 });
    for (let i = 0; i < count; i++) {
      const opts = mode === 'jetstream' ? { msgID: `${prefix}-${i}` } : {};
      const ack = await js.publish(`${prefix}.js.item`, sc.encode(`js-${i}`), opts);
      console.log(`JS-ACK ${ack.stream} ${ack.seq}`);
    }
    console.log('STEP add consumer');
    await jsm.consumers.add(stream, { durable_name: 'pull', ack_policy: AckPolicy.Explicit });
    console.log('STEP get consumer');
    const consumer = await js.consumers.get(stream, 'pull');
    console.log('STEP fetch');
    let got = 0;
    while (got < count) {
      const batch = await consumer.fetch({ max_messages: count - got, expires: 5000 });
      for await (const m of batch) {
        console.log(`JS-MSG ${m.seq} ${m.subject} ${sc.decode(m.data)}`);
        m.ack();
        got++;
      }
    }
    await nc.flush();
  }
  await nc.drain();
}

main().then(() => process.exit(0), (e) => { console.error('ERROR', e); process.exit(1); });
