import { lab01 } from "./lab01.ts";
import { lab02 } from "./lab02.ts";
import { lab03 } from "./lab03.ts";
import { ROOT } from "./repo.ts";
import { validateList } from "./validate.ts";

/** What all the exercises are worth together: 82 for labs 01 to 03, 100 once lab 04's are in. */
export const EXPECTED_TOTAL = 82;

/** The one list of graded exercises, in lab order, validated at load. */
export const exercises = validateList([...lab01, ...lab02, ...lab03], { root: ROOT, total: EXPECTED_TOTAL });
