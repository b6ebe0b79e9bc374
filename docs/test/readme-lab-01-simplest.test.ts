import { describeReadme } from "./support/describe-readme.ts";

describeReadme("labs/01-simplest/README.md");
