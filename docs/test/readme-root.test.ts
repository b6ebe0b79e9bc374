import { freePort } from "@gps-workshop/shared/testing";
import { describeReadme } from "./support/describe-readme.ts";

// `npm start` takes ports 8000, 8501 and 8502 unless told otherwise: here it is told, through the
// variables the README documents, so that this run never waits for the labs' READMEs, which use
// those ports, nor disturbs a lab a student has running.
const ports = {
  LAB02_API_PORT: await freePort(),
  LAB02_WEB_PORT: await freePort(),
  LAB03_WEB_PORT: await freePort(),
};

describeReadme("README.md", {
  env: Object.fromEntries(Object.entries(ports).map(([variable, port]) => [variable, String(port)])),
  ports: Object.values(ports),
});
