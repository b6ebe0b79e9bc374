import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "@gps-workshop/shared/testing/docker";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { IContainer } from "kubernetes-models/v1";
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

// The Kubernetes manifests of k8s/, checked without a cluster: each one against the Kubernetes
// API's schemas (kubernetes-models), then against docker-compose-swarm.yml, so that the two
// ways of running the stack do not drift apart.

const K8S = path.join(REPO_ROOT, "labs/04-orchestration/k8s");

/** A document of k8s/, before it is checked: an object of some kind. */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

/** A kind of object of kubernetes-models: which documents are of it, and its schema. */
interface Kind<T> {
  is(value: unknown): value is T;
  new (data: T): { validate(): void };
}

/** The kinds the manifests use: each checks the documents of its kind, and says whether it did. */
const validators = [
  validator(ConfigMap),
  validator(Secret),
  validator(Service),
  validator(PersistentVolumeClaim),
  validator(Deployment),
  validator(HorizontalPodAutoscaler),
  validator(PodDisruptionBudget),
  validator(Ingress),
];

function validator<T>(kind: Kind<T>) {
  return (document: Manifest): boolean => {
    if (!kind.is(document)) return false;
    // It throws with the path of the first value that breaks the schema.
    new kind(document).validate();
    return true;
  };
}

/** What the tests read of docker-compose-swarm.yml. */
interface StackService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
  stop_grace_period?: string;
  deploy: {
    replicas?: number;
    update_config?: { parallelism?: number; order?: string };
    resources: Record<"limits" | "reservations", { cpus: string; memory: string }>;
  };
}

/** The stack file as `docker stack deploy` reads it with no variable set: `${X:-default}` is the default, `$$` a `$`. */
async function stackFile(): Promise<Record<string, StackService>> {
  const text = await readFile(path.join(REPO_ROOT, "docker-compose-swarm.yml"), "utf8");
  return parse(text.replace(/\$\{\w+:-([^}]*)\}/g, "$1").replaceAll("$$", "$")).services;
}

async function manifests(): Promise<Manifest[]> {
  const files = (await readdir(K8S)).filter((file) => file.endsWith(".yaml"));
  const texts = await Promise.all(files.map((file) => readFile(path.join(K8S, file), "utf8")));
  return texts.flatMap((text) => parseAllDocuments(text).map((document) => document.toJS()));
}

function find<T extends Manifest>(
  documents: Manifest[],
  is: (value: unknown) => value is T,
  name: string,
): T {
  const found = documents.filter(is).find((document) => document.metadata?.name === name);
  if (!found) throw new Error(`no ${name} of that kind in k8s/`);
  return found;
}

function container(deployment: IDeployment): IContainer {
  const [first] = deployment.spec?.template.spec?.containers ?? [];
  if (!first) throw new Error(`${deployment.metadata?.name}: no container`);
  return first;
}

/** Docker's CPU count ("0.5") and Kubernetes' ("500m"), in CPUs. */
const cpus = (value: string) => (value.endsWith("m") ? Number(value.slice(0, -1)) / 1000 : Number(value));
/** Docker's memory ("256M", binary like all of Docker's units) and Kubernetes' ("256Mi"), in bytes. */
const bytes = (value: string) => {
  const [, amount = "0", unit = ""] = /^(\d+)([KMG]?)i?$/.exec(value) ?? [];
  return Number(amount) * 1024 ** ["", "K", "M", "G"].indexOf(unit);
};
/** Docker's durations ("3s") in seconds. */
const seconds = (value: string) => Number(value.replace(/s$/, ""));

describe("the Kubernetes manifests", () => {
  it("are each a valid object of the Kubernetes API", async () => {
    const documents = await manifests();
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      const what = `${document.kind} ${document.metadata?.name}`;
      expect(
        validators.some((validate) => validate(document)),
        `${what}: a kind the tests know`,
      ).toBe(true);
    }
  });

  it("run the stack file's services with the same images, commands and numbers of replicas", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    for (const name of ["redis", "replayer", "web"]) {
      const service = stack[name];
      const deployment = find(documents, Deployment.is, name);
      // Kubernetes' `args` is compose's `command` (its `command` would replace the entrypoint).
      const args = container(deployment).args?.map((arg) => arg.replaceAll("$$", "$"));
      expect({ image: container(deployment).image, args }).toEqual({
        image: service?.image,
        args: service?.command,
      });
      // The web's replicas are its autoscaler's minimum.
      const replicas =
        name === "web"
          ? find(documents, HorizontalPodAutoscaler.is, "web").spec?.minReplicas
          : deployment.spec?.replicas;
      expect(replicas, name).toBe(service?.deploy.replicas ?? 1);
    }
    // No proxy: the Ingress routes to the web Service, on the port the proxy sends to.
    expect(documents.filter(Deployment.is).map((deployment) => deployment.metadata?.name)).not.toContain(
      "proxy",
    );
    const ingress = find(documents, Ingress.is, "web").spec?.rules?.[0]?.http?.paths[0];
    const web = find(documents, Service.is, "web").spec?.ports?.[0];
    expect([ingress?.path, ingress?.backend.service?.name, ingress?.backend.service?.port?.name]).toEqual([
      "/",
      "web",
      web?.name,
    ]);
    expect(web?.port).toBe(8502);
  });

  it("give each service the same environment, and Redis's password as the same file", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    const settings = find(documents, ConfigMap.is, "gps-settings").data ?? {};
    for (const name of ["redis", "replayer", "web"]) {
      const pod = find(documents, Deployment.is, name).spec?.template.spec;
      const main = container(find(documents, Deployment.is, name));
      const environment = Object.fromEntries(
        (main.env ?? []).map(({ name, value, valueFrom }) => [
          name,
          value ?? settings[valueFrom?.configMapKeyRef?.key ?? ""],
        ]),
      );
      // Docker passes every value as a string, whatever YAML makes of it.
      const stackEnvironment = Object.entries(stack[name]?.environment ?? {}).map(([key, value]) => [
        key,
        String(value),
      ]);
      expect(environment, name).toEqual(Object.fromEntries(stackEnvironment));
      // The secret's files: /run/secrets/<name> under Swarm; the Secret's items under their mount here.
      const secretFiles = (main.volumeMounts ?? []).flatMap(({ name: volume, mountPath }) =>
        (pod?.volumes?.find((candidate) => candidate.name === volume)?.secret?.items ?? []).map(
          (item) => `${mountPath}/${item.path}`,
        ),
      );
      expect(secretFiles, name).toEqual(
        (stack[name]?.secrets ?? []).map((secret) => `/run/secrets/${secret}`),
      );
    }
  });

  it("probe the web on /readyz as often and as patiently as the stack file's healthcheck, and on /healthz for liveness", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    const web = container(find(documents, Deployment.is, "web"));
    const healthcheck = stack.web?.healthcheck;
    const url = new URL(
      /fetch\('([^']+)'\)/.exec(healthcheck?.test.join(" ") ?? "")?.[1] ?? "http://missing",
    );
    const port = web.ports?.find(({ name }) => name === web.readinessProbe?.httpGet?.port)?.containerPort;
    expect({ ...web.readinessProbe, httpGet: { path: web.readinessProbe?.httpGet?.path, port } }).toEqual({
      httpGet: { path: url.pathname, port: Number(url.port) },
      periodSeconds: seconds(healthcheck?.interval ?? ""),
      timeoutSeconds: seconds(healthcheck?.timeout ?? ""),
      failureThreshold: healthcheck?.retries,
    });
    expect(web.livenessProbe?.httpGet?.path).toBe("/healthz");
    // Redis: the same command, through a shell.
    const redis = container(find(documents, Deployment.is, "redis"));
    expect(["CMD-SHELL", ...(redis.readinessProbe?.exec?.command?.slice(2) ?? [])]).toEqual(
      stack.redis?.healthcheck?.test,
    );
  });

  it("request and limit the same CPU and memory as the stack file reserves and limits", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    for (const name of ["redis", "replayer", "web"]) {
      const { requests = {}, limits = {} } = container(find(documents, Deployment.is, name)).resources ?? {};
      const { reservations, limits: stackLimits } = stack[name]?.deploy.resources ?? {};
      expect(
        [requests, limits].map(({ cpu = "", memory = "" }) => [cpus(String(cpu)), bytes(String(memory))]),
        name,
      ).toEqual(
        [reservations, stackLimits].map((resources) => [
          cpus(resources?.cpus ?? ""),
          bytes(resources?.memory ?? ""),
        ]),
      );
    }
  });

  it("update the web one pod at a time without losing one, and stop Redis and the replayer before starting them again", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    const web = find(documents, Deployment.is, "web").spec;
    expect(stack.web?.deploy.update_config).toMatchObject({ parallelism: 1, order: "start-first" });
    expect(web?.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(web?.template.spec?.terminationGracePeriodSeconds).toBe(
      seconds(stack.web?.stop_grace_period ?? ""),
    );
    for (const name of ["redis", "replayer"]) {
      expect(stack[name]?.deploy.update_config?.order, name).toBe("stop-first");
      expect(find(documents, Deployment.is, name).spec?.strategy?.type, name).toBe("Recreate");
    }
  });

  it("keep Redis's data on a volume mounted where the stack file mounts it, and spare two web pods when a node is drained", async () => {
    const [stack, documents] = await Promise.all([stackFile(), manifests()]);
    const redis = find(documents, Deployment.is, "redis");
    const volume = redis.spec?.template.spec?.volumes?.find(
      ({ persistentVolumeClaim }) => persistentVolumeClaim,
    );
    const claim = find(documents, PersistentVolumeClaim.is, volume?.persistentVolumeClaim?.claimName ?? "");
    const mount = container(redis).volumeMounts?.find(({ name }) => name === volume?.name);
    expect(`${claim.metadata?.name}:${mount?.mountPath}`).toBe(stack.redis?.volumes?.[0]);
    expect(find(documents, PodDisruptionBudget.is, "web").spec?.minAvailable).toBe(2);
  });
});
