import { describeReadme } from "./support/describe-readme.ts";

// The dev scripts' listener listens on this machine's port 12345, which no command names.
describeReadme("labs/01-simplest/README.md", { ports: [12345] });
