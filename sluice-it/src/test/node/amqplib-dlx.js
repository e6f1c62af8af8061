// amqplib: publisher confirms, manual acks and dead-lettering. Declares a dead-letter exchange and queue and a work
// queue whose x-dead-letter-exchange is that exchange; publishes `count` messages on a confirm channel; a consumer
// acks even-numbered messages and rejects odd ones without requeue; then reads the dead-letter queue.
// Prints "CONFIRMED <n>", "ACKED <body>", "REJECTED <body>", "DEAD <body> <x-death as JSON> <routing key>".
// Usage: node amqplib-dlx.js <amqp url> <prefix> <count>
'use strict';
const amqp = require('amqplib');

const [url, prefix, countArg] = process.argv.slice(2);
const count = Number(countArg);

async function main() {
  const conn = await amqp.connect(url);
  const ch = await conn.createConfirmChannel();
  const dlx = `${prefix}.dlx`, dlq = `${prefix}.dead`, work = `${prefix}.work`;
  await ch.assertExchange(dlx, 'fanout', { durable: true });
  await ch.assertQueue(dlq, { durable: true });
  await ch.bindQueue(dlq, dlx, '');
  await ch.assertQueue(work, { durable: true, arguments: { 'x-dead-letter-exchange': dlx } });

  for (let i = 0; i < count; i++) {
    ch.publish('', work, Buffer.from(`m-${i}`), { persistent: true, headers: { seq: i } });
  }
  await ch.waitForConfirms();
  console.log(`CONFIRMED ${count}`);

  await ch.prefetch(10);
  let handled = 0;
  await new Promise((resolve) => {
    ch.consume(work, (msg) => {
      const body = msg.content.toString();
      if (msg.properties.headers.seq % 2 === 0) {
        ch.ack(msg);
        console.log(`ACKED ${body}`);
      } else {
        ch.reject(msg, false);
        console.log(`REJECTED ${body}`);
      }
      if (++handled === count) resolve();
    }, { noAck: false });
  });

  const dead = Math.floor(count / 2);
  let got = 0;
  await new Promise((resolve) => {
    ch.consume(dlq, (msg) => {
      const death = msg.properties.headers['x-death'];
      console.log(`DEAD ${msg.content.toString()} ${JSON.stringify(death)} ${msg.fields.routingKey}`);
      ch.ack(msg);
      if (++got === dead) resolve();
    }, { noAck: false });
  });
  await ch.close();
  await conn.close();
}

main().then(() => process.exit(0), (e) => { console.error('ERROR', e); process.exit(1); });
