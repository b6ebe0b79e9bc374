import { describeReadme } from "./support/describe-readme.ts";

describeReadme("labs/03-pubsub/README.md");
