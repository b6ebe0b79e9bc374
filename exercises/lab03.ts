import type { Exercise } from "./types.ts";

const LAB = "labs/03-pubsub";
const CHECKS = `${LAB}/test/exercises`;

/** Lab 03, pub/sub: the replayer's publish, the web's event streams, and a service of your own. */
export const lab03: Exercise[] = [
  {
    id: "lab03.replayer-publish",
    lab: "03",
    title: "The replayer publishes each record with its history entry's id",
    task:
      "In `publish` (src/replayer/main.ts), take the id that XADD gave the record's history entry from the " +
      'transaction\'s replies, and PUBLISH `{"id":"<entry id>","record":{…}}` on the gps_state channel ' +
      "(`keys.channel`), the record's fields in wire order. The web, the subscriber and the alerts all listen there.",
    points: 6,
    files: [`${LAB}/src/replayer/main.ts`],
    hints: [
      "`exec()` resolved with one reply per command of the transaction, in order: SET's \"OK\", then XADD's entry id.",
      "`JSON.stringify(value, fields)` keeps only the keys listed in `fields`, in that order, at every depth: " +
        'list "id", "record", then `GPS_RECORD_FIELDS`. Publish with `redis.publish(channel, message)`.',
      'const [, id] = replies; await redis.publish(keys.channel, JSON.stringify({ id, record }, ["id", "record", ...GPS_RECORD_FIELDS]));',
    ],
    needs: "redis",
    checks: [
      {
        file: `${CHECKS}/replayer-publish.test.ts`,
        name: "lab03.replayer-publish > publishes each record it stores on gps_state, with the id of its history entry",
        points: 2,
      },
      {
        file: `${CHECKS}/replayer-publish.test.ts`,
        name: 'lab03.replayer-publish > sends {"id","record"} in this order, the record\'s 13 fields in wire order, as stored',
        points: 2,
      },
      {
        file: `${CHECKS}/replayer-publish.hidden.test.ts`,
        name: "lab03.replayer-publish > publishes every record once, after storing it, with ids that grow pass after pass",
        points: 2,
        hidden: true,
      },
    ],
  },
  {
    id: "lab03.sse-resume",
    lab: "03",
    title: "Server-sent events: the framing, and resuming from Last-Event-ID",
    task:
      "Write `sseFrame` (src/web/sse.ts): an `event:` line if the event has a name, an `id:` line if it has an id, " +
      "one `data:` line per line of its data, then a blank line. Write the read of `readHistory` " +
      "(src/web/messages.ts): the newest `count` entries of the history after the entry `after` (from the start " +
      "without one), oldest first: what /events sends first, and how a browser resumes with `Last-Event-ID`.",
    points: 8,
    files: [`${LAB}/src/web/sse.ts`, `${LAB}/src/web/messages.ts`],
    hints: [
      "Two parts. The frame: `event: <name>` and `id: <id>` lines (each only when given), one `data: <line>` " +
        "per line of the data, each line ending in \\n, then an empty line. The read: the history newest first " +
        "(XREVRANGE), from its end down to the entry after `after`, the newest `count` of them, then oldest first.",
      "Split the data at \\r\\n, \\r and \\n: a line break would end the field. XREVRANGE goes from `+` down " +
        "to a start: `(<id>` starts after that entry, `-` at the very beginning; `{ COUNT: count }` keeps the " +
        "newest `count`. Reverse what it returns, and turn the entries into records with `fromEntries`.",
      `for (const line of data.split(/\\r\\n|\\r|\\n/)) frame += \`data: \${line}\\n\`; … ` +
        `const newestFirst = await redis.xRevRange(keys.history, "+", after === undefined ? "-" : \`(\${after}\`, ` +
        "count ? { COUNT: count } : undefined); return fromEntries(newestFirst ?? []).reverse();",
    ],
    needs: "redis",
    checks: [
      {
        file: `${CHECKS}/sse-resume.test.ts`,
        name: "lab03.sse-resume > frames each record as its event name, its id and its data, then a blank line",
        points: 2,
      },
      {
        file: `${CHECKS}/sse-resume.test.ts`,
        name: "lab03.sse-resume > splits a payload of several lines into one data line each",
        points: 2,
      },
      {
        file: `${CHECKS}/sse-resume.test.ts`,
        name: "lab03.sse-resume > sends only the history entries after Last-Event-ID, from the header or ?lastEventId=",
        points: 2,
      },
      {
        file: `${CHECKS}/sse-resume.hidden.test.ts`,
        name: "lab03.sse-resume > sends the newest entries after an id far behind, found by id when timestamps repeat",
        points: 1,
        hidden: true,
      },
      {
        file: `${CHECKS}/sse-resume.hidden.test.ts`,
        name: "lab03.sse-resume > splits the data at a lone carriage return too, and gives an event without an id no id line",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab03.fan-out",
    lab: "03",
    title: "The fan-out: one subscription, every client, each record once and in order",
    task:
      "In `#relay` (src/web/relay.ts), which the web's one subscription calls for each new record, tell the page " +
      "(`onRecord`) and send the record's frame to every client of /events connected now. In `Stream.send` " +
      "(src/web/sse.ts), give one client each record once and in order: hold it while the client's history is " +
      "read, then drop a record that the history already had.",
    points: 6,
    files: [`${LAB}/src/web/relay.ts`, `${LAB}/src/web/sse.ts`],
    hints: [
      "Two parts: `#relay` builds the record's frame once (`gpsFrame`) and hands it to each client in " +
        "`this.audience.streams` (a client leaves that set when it disconnects); `Stream.send` passes it on to " +
        "its one client, after that client's history and never twice.",
      "In `#relay`: `this.#options.onRecord(relayed)`, then `stream.send(frame, relayed.id)` for each stream. In " +
        "`send`: while `this.#waiting` is set (the history is being read), push `{ frame, id }` onto it; then, " +
        "while `this.historyEnd` is set (the last entry of the history sent), drop a record whose id is not after " +
        "it (`isAfter`), and forget it at the first one that is; then `this.write(frame)`.",
      "const frame = Buffer.from(gpsFrame(relayed)); for (const stream of this.audience.streams) " +
        "stream.send(frame, relayed.id); … if (this.#waiting) return void this.#waiting.push({ frame, id }); " +
        "if (id !== undefined && this.historyEnd !== undefined) { if (!isAfter(id, this.historyEnd)) return; " +
        "this.historyEnd = undefined; } this.write(frame);",
    ],
    needs: "redis",
    checks: [
      {
        file: `${CHECKS}/fan-out.test.ts`,
        name: "lab03.fan-out > sends each record published to every one of 20 clients, once and in order, with its id",
        points: 2,
      },
      {
        file: `${CHECKS}/fan-out.test.ts`,
        name: "lab03.fan-out > holds one subscription for all its clients, and forgets those that disconnect",
        points: 2,
      },
      {
        file: `${CHECKS}/fan-out.hidden.test.ts`,
        name: "lab03.fan-out > gives each record once, in order, to clients that connect while records stream in, and to the page",
        points: 2,
        hidden: true,
      },
    ],
  },
  {
    id: "lab03.capstone",
    lab: "03",
    title: "A service of your own: speed alerts on gps_alerts",
    task:
      "Write the speed-alerts service (src/alerts/main.ts): subscribe to gps_state and publish on gps_alerts one " +
      'event each time the speed crosses SPEED_LIMIT_KMH (25 by default), `{"type":"speeding"` or ' +
      '`"back-under-limit","speed_kmh","limit_kmh","record_id"}`: one per crossing, not one per record. Then ' +
      "give it its service `alerts` in docker-compose-pubsub.yml; the web relays its events to /events and the page.",
    points: 12,
    files: [`${LAB}/src/alerts/main.ts`, "docker-compose-pubsub.yml"],
    hints: [
      "Two parts: the service subscribes to gps_state (`keys.channel`) with `subscriber` and publishes on " +
        "gps_alerts (`keys.alerts`) with `publisher`; its compose service `alerts` runs the lab's image with its " +
        "own command, on the backend network, once Redis is healthy.",
      "Keep one boolean outside the listener, `speeding`, false at first. Parse each message inside a try " +
        '(`{"id":…,"record":{…}}`), skip it without a numeric `record.speed_meters_per_second`; `above = speed * ' +
        "3.6 > limit`. Equal to `speeding`: nothing happened. Otherwise flip it, and publish one event with the " +
        "type, the speed in km/h, the limit and the message's id as `record_id`.",
      'In docker-compose-pubsub.yml, beside the replayer: `alerts:` with `<<: *lab03-service`, `command: ["node", ' +
        '"labs/03-pubsub/dist/alerts/main.js"]`, `environment: { REDIS_URL: redis://redis:6379 }`, ' +
        "`networks: [backend]`, and `depends_on: { redis: { condition: service_healthy } }`.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${CHECKS}/capstone.test.ts`,
        name: "lab03.capstone > runs your service as `alerts` of docker-compose-pubsub.yml, on the backend network only",
        points: 2,
      },
      {
        file: `${CHECKS}/capstone.test.ts`,
        name: "lab03.capstone > publishes exactly one event per crossing on gps_alerts, in order, as the track is replayed",
        points: 4,
      },
      {
        file: `${CHECKS}/capstone.test.ts`,
        name: "lab03.capstone > reaches /events through the web as `alert` events, in the same order",
        points: 2,
      },
      {
        file: `${CHECKS}/capstone.test.ts`,
        name: "lab03.capstone > shows each event in the page's Alerts panel, newest first, in a real browser",
        points: 1,
      },
      {
        file: `${CHECKS}/capstone.test.ts`,
        name: "lab03.capstone > stops on docker stop with exit code 0",
        points: 1,
      },
      {
        file: `${CHECKS}/capstone.hidden.test.ts`,
        name: "lab03.capstone > keeps going through messages that are no records and records without a speed, at SPEED_LIMIT_KMH",
        points: 2,
        hidden: true,
      },
    ],
  },
];
