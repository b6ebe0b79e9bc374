import { describeReadme } from "./support/describe-readme.ts";

describeReadme("labs/04-orchestration/README.md");
