/**
 * What only the instructor's copy holds: `npm run starter` leaves these out of the student's
 * repository. Globs over repository paths, as node:path's matchesGlob reads them. The instructor
 * guide is not among them: it holds no solutions, and a student following alone uses its demos.
 */
export const INSTRUCTOR_ONLY = [
  // The tools that make and grade the students' copies, and the tools' own tests and benchmark.
  "exercises/instructor-only.ts",
  "exercises/starter.ts",
  "exercises/classroom.ts",
  "exercises/collect-grades.ts",
  "exercises/test/**",
  "bench/exercise-feedback.ts",
  // Hidden checks: the instructor runs them (collect-grades puts them back into each copy it grades).
  "**/*.hidden.test.ts",
  // The instructor's CI, which tests the solution; a student's copy is graded by classroom.yml.
  ".ci/**",
  ".github/workflows/ci.yml",
];

/** The root package.json scripts that run instructor-only files: the starter drops them. */
export const INSTRUCTOR_SCRIPTS = ["starter", "collect-grades", "bench:exercise-feedback"];
