import { configFromEnv, redisEnv, replayerEnv, replaySettings } from "@gps-workshop/shared";
import { z } from "zod";

/**
 * The replayer's configuration, from environment variables. The defaults work on localhost
 * (compose sets REDIS_URL=redis://redis:6379); a bad value stops it with one line naming the variable.
 */
export function readConfig() {
  const vars = configFromEnv("replayer", {
    ...replayerEnv,
    ...redisEnv,
    /** About how many records gps_history keeps (MAXLEN ~), for browsers that connect later. */
    HISTORY_LENGTH: z.coerce.number().int().min(1).max(1_000_000).default(3600),
  });
  return {
    replay: replaySettings(vars),
    redisUrl: vars.REDIS_URL,
    keyPrefix: vars.REDIS_KEY_PREFIX,
    historyLength: vars.HISTORY_LENGTH,
  };
}
