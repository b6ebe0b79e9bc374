import { describeReadme } from "./support/describe-readme.ts";

describeReadme("labs/02-rest/README.md");
