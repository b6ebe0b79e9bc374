import type { Exercise } from "./types.ts";

/**
 * Lab 04's graded exercises: operations, written in docker-compose-swarm.yml and checked by
 * deploying the stack on Docker Swarm (the checks turn swarm mode on for their run if it is off).
 * 18 points.
 */
const STACK_FILE = "docker-compose-swarm.yml";
const CHECKS = "labs/04-orchestration/test/exercises";

export const lab04: Exercise[] = [
  {
    id: "lab04.rolling-update",
    lab: "04",
    title: "A rolling update that keeps three web tasks serving",
    task:
      "In docker-compose-swarm.yml, finish the web's update_config so that `docker service update --image` " +
      "replaces its tasks one at a time, each new task started and healthy before an old one stops, with a " +
      "pause between two tasks.",
    points: 6,
    files: [STACK_FILE],
    hints: [
      "By default Swarm stops an old task before it starts the new one (order: stop-first): for a while, two tasks serve instead of three.",
      "A new task counts as started once its healthcheck passes. `order` decides which comes first, and `delay` is the pause between two tasks.",
      "Under update_config, beside parallelism: 1, write order: start-first and delay: 2s.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${CHECKS}/rolling-update.test.ts`,
        name: "lab04.rolling-update: the web's rolling update > updates the web to a new tag with three healthy tasks at every moment, no failed request and no record missed",
        points: 6,
      },
    ],
  },
  {
    id: "lab04.rollback",
    lab: "04",
    title: "Automatic rollback of a release that never gets healthy",
    task:
      "In docker-compose-swarm.yml, make Swarm go back to the web's previous version by itself when a new task " +
      "fails during an update, instead of pausing halfway, and say how to go back: one task at a time, the " +
      "previous version started first.",
    points: 6,
    files: [STACK_FILE],
    hints: [
      "update_config's failure_action says what a failed task does to the update: pause (the default), continue or rollback.",
      "monitor is how long after its start a task's failure still stops the update; rollback_config is the update_config of the way back.",
      "Under update_config: failure_action: rollback and monitor: 15s; beside it, rollback_config with parallelism: 1 and order: start-first.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${CHECKS}/rollback.test.ts`,
        name: "lab04.rollback: automatic rollback > rolls the web back by itself when the new image never gets healthy, with no failed request",
        points: 6,
      },
    ],
  },
  {
    id: "lab04.secret",
    lab: "04",
    title: "Redis's password as a Docker secret",
    task:
      "In docker-compose-swarm.yml, make Redis require the password of the secret redis_password (its healthcheck " +
      "too), never on a command line nor in an environment variable, and give the replayer and the web the same " +
      "secret, read through REDIS_PASSWORD_FILE.",
    points: 6,
    files: [STACK_FILE],
    hints: [
      "`secrets: [redis_password]` in a service mounts the secret as the file /run/secrets/redis_password; lab 03's services read a password from the file REDIS_PASSWORD_FILE names.",
      "redis-server reads more configuration on its stdin when given `-`: a shell can write `requirepass` and the file's content there. redis-cli takes its password from REDISCLI_AUTH.",
      "Redis: command [sh, -c, 'exec redis-server - <<EOF … requirepass $$(cat /run/secrets/redis_password) … EOF'] ($$: the stack file reads $ as a variable), and a CMD-SHELL healthcheck with REDISCLI_AUTH set the same way.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${CHECKS}/secret.test.ts`,
        name: "lab04.secret: Redis's password as a Docker secret > Redis refuses a client without the password, while the replayer and the web, which read it, stream records",
        points: 4,
      },
      {
        file: `${CHECKS}/secret.hidden.test.ts`,
        name: "lab04.secret: Redis's password as a Docker secret > shows the password in no service's definition: environment, command, labels",
        points: 2,
        hidden: true,
      },
    ],
  },
];
