import { lab01 } from "./lab01.ts";
import { lab02 } from "./lab02.ts";
import { lab03 } from "./lab03.ts";
import { lab04 } from "./lab04.ts";
import { ROOT } from "./repo.ts";
import { validateList } from "./validate.ts";

/** What all the exercises are worth together. */
export const EXPECTED_TOTAL = 100;

/** The one list of graded exercises, in lab order, validated at load. */
export const exercises = validateList([...lab01, ...lab02, ...lab03, ...lab04], {
  root: ROOT,
  total: EXPECTED_TOTAL,
});
