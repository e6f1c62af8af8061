// A kafkajs consumer group member: reads `expected` messages of a topic from the beginning, commits them, and prints
// one "MSG <partition> <offset> <key>=<value>" line each, then "COMMITTED <partition> <offset>" for each committed
// partition offset read back from the broker. Usage: node kafkajs-group.js <broker> <topic> <group> <expected>
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const [broker, topic, groupId, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);

async function main() {
  const kafka = new Kafka({ clientId: 'sluice-it-kafkajs', brokers: [broker], logLevel: logLevel.WARN,
    retry: { retries: 10 } });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        console.log(`MSG ${partition} ${message.offset} ${message.key}=${message.value}`);
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        if (++seen === expected) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  for (const t of offsets) {
    for (const p of t.partitions) console.log(`COMMITTED ${p.partition} ${p.offset}`);
  }
  await admin.disconnect();
}

main().then(() => process.exit(0), (e) => { console.error('ERROR', e); process.exit(1); });
