import type { Exercise } from "./types.ts";

// Lab 02's graded exercises: the regions of its lesson code (in src/api, src/replayer and the compose
// file) and their checks, in labs/02-rest/test/exercises/.
const checks = "labs/02-rest/test/exercises";
const api = "labs/02-rest/src/api";

export const lab02: Exercise[] = [
  {
    id: "lab02.gps-state",
    lab: "02",
    title: "GET /gps_state and its errors",
    task:
      "In `stateBody` (src/api/avg-speed.ts), decide what GET /gps_state answers for what Redis holds under " +
      "`gps_state`: the record as JSON, its 13 fields in wire order; a 503 problem with Retry-After while there " +
      "is nothing yet; a 500 problem naming gps_state when it is not a GPS record.",
    points: 6,
    files: [`${api}/avg-speed.ts`],
    hints: [
      "`raw` is null until the replayer has written. `soon(type, detail)` is a 503 problem with Retry-After; " +
        "`parseStored(schema, raw, where)` checks what another process wrote, or throws a 500 naming `where`.",
      "Check `raw` with `GpsRecordSchema` and stringify what it gives back: zod keeps the schema's fields, in " +
        "its order, and drops the others.",
      'if (raw === null) throw soon("no-gps-state", "no GPS state yet"); then ' +
        'return JSON.stringify(parseStored(GpsRecordSchema, raw, "gps_state"));',
    ],
    needs: "redis",
    checks: [
      {
        file: `${checks}/gps-state.test.ts`,
        name: "GET /gps_state > answers 200 with the record the replayer wrote last, as JSON",
        points: 2,
      },
      {
        file: `${checks}/gps-state.test.ts`,
        name: "GET /gps_state > answers 503 problem JSON with Retry-After while there is no state yet",
        points: 2,
      },
      {
        file: `${checks}/gps-state.test.ts`,
        name: "GET /gps_state > answers 500 problem JSON naming gps_state when it holds something that is not a GPS record",
        points: 1,
      },
      {
        file: `${checks}/gps-state.hidden.test.ts`,
        name: "GET /gps_state > answers the record in wire order, without the fields that are not part of it",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab02.avg-speed",
    lab: "02",
    title: "The mean speed over a window, waiting with XREAD BLOCK",
    task:
      "In `averageSpeedOverNext` (src/api/avg-speed.ts), add to `mean` the speed in force at `start`, then each " +
      "new state as XREAD BLOCK on gps_history returns it, at the time it arrives, until `end`: no polling. " +
      "Answer the mean, or a 503 problem when no state was in force during the window.",
    points: 8,
    files: [`${api}/avg-speed.ts`],
    hints: [
      "Read gps_state and the newest id of gps_history in one MULTI (`execTyped()`), so that no state slips in " +
        "between; then loop: XREAD BLOCK from the last id seen, on the `blocking` connection, inside `untilEnd()`.",
      "`untilEnd(blocking.xRead({ key: keys.history, id: lastId }, { BLOCK: Math.ceil(end - clock.now()) }))` " +
        "is null once the window is over; `XReadReply.parse(reply)?.[0]?.messages ?? []` lists the new entries; " +
        "`speedOf(message.record, where)` checks each; `mean.add(clock.now(), speed)` counts it from now on.",
      'Start with `redis.multi().get(keys.state).xRevRange(keys.history, "+", "-", { COUNT: 1 })`, add the ' +
        'state at `start`, start from `newest?.[0]?.id ?? "0-0"`; after the loop `const value = mean.mean(end)`, ' +
        'and `throw soon("no-gps-state", "no GPS state was received during the window")` when it is undefined.',
    ],
    needs: "redis",
    checks: [
      {
        file: `${checks}/avg-speed.test.ts`,
        name: "GET /compute_avg_speed > answers the mean of the states of the window, each weighted by how long it was in force",
        points: 3,
      },
      {
        file: `${checks}/avg-speed.test.ts`,
        name: "GET /compute_avg_speed > waits on the history with XREAD BLOCK: Redis sees one command per state change, no polling",
        points: 2,
      },
      {
        file: `${checks}/avg-speed.test.ts`,
        name: "GET /compute_avg_speed > answers 503 problem JSON with Retry-After when no state was received during the window",
        points: 1,
      },
      {
        file: `${checks}/avg-speed.hidden.test.ts`,
        name: "GET /compute_avg_speed > averages over the part of the window that had a state when the first one comes mid-window",
        points: 1,
        hidden: true,
      },
      {
        file: `${checks}/avg-speed.hidden.test.ts`,
        name: "GET /compute_avg_speed > answers 500 problem JSON naming the entry, at once, when a history entry is not a GPS record",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab02.task-status",
    lab: "02",
    title: "GET /get_avg_speed_task_status: a task as stored, unknown, or dead",
    task:
      "In `read` (src/api/tasks.ts), answer a background task as Redis holds it, without its `deadline_at`: a " +
      '404 problem when there is no such task, and FAILED with the error "interrupted" when it is still ' +
      "REQUESTED or RUNNING past its deadline plus the grace period (its API process died).",
    points: 6,
    files: [`${api}/tasks.ts`],
    hints: [
      "`stored` is the task, already checked, or null when Redis has no such key (never requested, or expired): " +
        "throw an `HttpProblem` with status 404 then.",
      "A task whose API process was killed stays REQUESTED or RUNNING in Redis: it is dead once `Date.now()` is " +
        "past `deadline_at` plus `context.taskGraceSeconds` seconds. A DONE or FAILED task is answered as it is.",
      "`const { deadline_at, ...task } = stored;` then " +
        "`const dead = Date.now() > Date.parse(deadline_at) + context.taskGraceSeconds * 1000;` and return " +
        '`{ ...task, status: "FAILED", error: "interrupted" }` when it is unfinished and dead, `task` otherwise.',
    ],
    needs: "redis",
    checks: [
      {
        file: `${checks}/task-status.test.ts`,
        name: "GET /get_avg_speed_task_status > answers a task as it is stored, without its deadline: REQUESTED, RUNNING, or DONE with its result",
        points: 2,
      },
      {
        file: `${checks}/task-status.test.ts`,
        name: "GET /get_avg_speed_task_status > answers 404 problem JSON for a task that was never requested, or has expired",
        points: 2,
      },
      {
        file: `${checks}/task-status.test.ts`,
        name: 'GET /get_avg_speed_task_status > answers FAILED "interrupted" for a task left unfinished well past its deadline',
        points: 1,
      },
      {
        file: `${checks}/task-status.hidden.test.ts`,
        name: "GET /get_avg_speed_task_status > answers a FAILED task with its error, and a task within its grace period as it is stored",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab02.replayer-write",
    lab: "02",
    title: "The replayer's write: MULTI, SET, XADD MAXLEN ~, EXEC",
    task:
      "In the replayer's loop (src/replayer/main.ts), write each record in one transaction: `MULTI`, " +
      "`SET gps_state <json>`, `XADD gps_history MAXLEN ~ <HISTORY_LENGTH> * record <json>`, `EXEC`.",
    points: 6,
    files: ["labs/02-rest/src/replayer/main.ts"],
    hints: [
      "One transaction, so that a reader never sees a state that the history lacks: `redis.multi()`, the two " +
        "commands, then `.exec()`, awaited. `json` is the record in wire order.",
      '`.set(keys.state, json)` then `.xAdd(keys.history, "*", { record: json }, { TRIM: trim })`: the id `*` ' +
        "lets Redis number the entry, and `trim` is MAXLEN ~ config.HISTORY_LENGTH.",
      'const trim = { strategy: "MAXLEN", strategyModifier: "~", threshold: config.HISTORY_LENGTH } as const; ' +
        'await redis.multi().set(keys.state, json).xAdd(keys.history, "*", { record: json }, { TRIM: trim }).exec();',
    ],
    needs: "redis",
    checks: [
      {
        file: `${checks}/replayer-write.test.ts`,
        name: "the replayer's write > writes the last record to gps_state as JSON, its 13 fields in wire order",
        points: 2,
      },
      {
        file: `${checks}/replayer-write.test.ts`,
        name: "the replayer's write > appends each record to gps_history as an entry record <json>, in order",
        points: 2,
      },
      {
        file: `${checks}/replayer-write.test.ts`,
        name: "the replayer's write > trims gps_history to about HISTORY_LENGTH entries, the newest",
        points: 1,
      },
      {
        file: `${checks}/replayer-write.hidden.test.ts`,
        name: "the replayer's write > writes each record in one transaction: MULTI, SET, XADD MAXLEN ~, EXEC",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab02.redis-network",
    lab: "02",
    title: "Ops: Redis on the backend network only",
    task:
      "In docker-compose-rest.yml, put Redis on the network that the API and the replayer share, and on no " +
      "other: the web, on the frontend network, must not be able to reach it.",
    points: 6,
    files: ["docker-compose-rest.yml"],
    hints: [
      "A service is on the networks its `networks:` lists (on `default` when it lists none), and it can reach, " +
        "by name, only the services on one of its networks.",
      "The API is on backend and frontend, the replayer on backend only, the web on frontend only: which network " +
        "is the replayer's and the API's, and not the web's?",
      "Under `redis:`, `networks: [backend]`.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${checks}/redis-network.test.ts`,
        name: "docker-compose-rest.yml: Redis on the backend network only > runs: the replayer and the API reach Redis, and the web serves the page and reaches the API",
        points: 2,
      },
      {
        file: `${checks}/redis-network.test.ts`,
        name: "docker-compose-rest.yml: Redis on the backend network only > keeps Redis out of the web's reach, while the API and the replayer reach it",
        points: 3,
      },
      {
        file: `${checks}/redis-network.hidden.test.ts`,
        name: "docker-compose-rest.yml: Redis on the backend network only > puts Redis on a network with the API and the replayer, and on none with the web",
        points: 1,
        hidden: true,
      },
    ],
  },
];
